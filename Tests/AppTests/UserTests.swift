import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct UserTests {
  @Test(arguments: TestDatabase.all)
  func rolesAreAHierarchyEnforcedPerRoute(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let lead = try await ctx.createUser(role: .lead, adminToken: admin)
      let dev = try await ctx.createUser(role: .developer, adminToken: admin)
      let leadToken = try await ctx.login(lead.email, lead.password).accessToken
      let devToken = try await ctx.login(dev.email, dev.password).accessToken
      // check
      #expect(try await ctx.send(.GET, "/users", token: admin).status == .ok)
      #expect(try await ctx.send(.GET, "/users", token: leadToken).status == .forbidden)
      #expect(try await ctx.send(.GET, "/users", token: devToken).status == .forbidden)
      #expect(try await ctx.send(.GET, "/users").status == .unauthorized)
      #expect(try await ctx.send(.GET, "/me", token: devToken).status == .ok)
      let denied = try await ctx.send(
        .POST, "/users", token: devToken,
        json: [
          "email": "x@example.com", "name": "X", "role": "admin", "password": "long-password-1",
        ])
      #expect(denied.status == .forbidden)
      #expect(denied.headers.first(name: .contentType) == "application/problem+json")
    }
  }

  @Test(arguments: TestDatabase.all)
  func aRoleChangeTakesEffectAtOnce(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let dev = try await ctx.createUser(role: .developer, adminToken: admin)
      let devToken = try await ctx.login(dev.email, dev.password).accessToken
      #expect(try await ctx.send(.GET, "/users", token: devToken).status == .forbidden)
      // act
      let promote = try await ctx.send(
        .PATCH, "/users/\(dev.id)", token: admin, json: ["role": "admin"])
      // check
      #expect(promote.status == .ok)
      #expect(try await ctx.send(.GET, "/users", token: devToken).status == .ok)
    }
  }

  @Test(arguments: TestDatabase.all)
  func createValidatesEveryField(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      // act
      let invalid = try await ctx.send(
        .POST, "/users", token: admin,
        json: ["email": "not-an-email", "name": " ", "role": "boss", "password": "short"])
      // check
      #expect(invalid.status == .unprocessableEntity)
      let fields = Set(invalid.problem?.errors?.map(\.field) ?? [])
      #expect(fields == ["email", "name", "role", "password"])
      let wrongShape = try await ctx.send(
        .POST, "/users", token: admin, rawBody: #"{"email": 42, "name": "x"}"#)
      #expect(wrongShape.status == .badRequest)
      // the body is checked against the contract first: every problem at once
      #expect(
        Set(wrongShape.problem?.errors?.map(\.field) ?? []) == ["email", "role", "password"])
      let notJSON = try await ctx.send(.POST, "/users", token: admin, rawBody: "{nope")
      #expect(notJSON.status == .badRequest)
      let count = try await User.query(on: ctx.app.db).count()
      #expect(count == 1)
    }
  }

  @Test(arguments: TestDatabase.all)
  func emailsAreUniqueCaseInsensitively(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      _ = try await ctx.createUser(role: .developer, email: "Same@Example.com", adminToken: admin)
      let duplicate = try await ctx.send(
        .POST, "/users", token: admin,
        json: [
          "email": "same@EXAMPLE.com", "name": "Twin", "role": "lead",
          "password": "long-password-1",
        ])
      #expect(duplicate.status == .conflict)
      let login = try await ctx.send(
        .POST, "/auth/login",
        json: ["email": "SAME@example.COM", "password": "password-for-developer"])
      #expect(login.status == .ok)
    }
  }

  @Test(arguments: TestDatabase.all)
  func theLastAdminCannotBeDemotedOrDisabled(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let me = try await ctx.send(.GET, "/me", token: admin).content.decode(UserResponse.self)
      let demote = try await ctx.send(
        .PATCH, "/users/\(me.id)", token: admin, json: ["role": "lead"])
      #expect(demote.status == .conflict)
      let disable = try await ctx.send(
        .PATCH, "/users/\(me.id)", token: admin, json: ["disabled": true])
      #expect(disable.status == .conflict)
      #expect(try await ctx.send(.GET, "/users", token: admin).status == .ok)
    }
  }

  @Test(arguments: TestDatabase.all)
  func usersOfAnotherCompanyAreInvisible(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let (_, otherAdmin) = try await CompanyService(
        database: ctx.app.db, hasher: ctx.app.passwordHasher
      ).create(name: "Globex", adminEmail: "boss@globex.com", adminPassword: "globex-password-1")
      let admin = try await ctx.adminToken()
      // act
      let patch = try await ctx.send(
        .PATCH, "/users/\(try otherAdmin.requireID())", token: admin, json: ["name": "Hacked"])
      let list = try await ctx.send(.GET, "/users", token: admin).content.decode(
        [UserResponse].self)
      // check
      #expect(patch.status == .notFound)
      #expect(!list.contains { $0.email == "boss@globex.com" })
      #expect(try await User.find(otherAdmin.id, on: ctx.app.db)?.name == "Administrator")
    }
  }

  @Test(arguments: TestDatabase.all)
  func adminPasswordResetEndsTheUsersSessions(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let dev = try await ctx.createUser(role: .developer, adminToken: admin)
      let devToken = try await ctx.login(dev.email, dev.password).accessToken
      let reset = try await ctx.send(
        .PATCH, "/users/\(dev.id)", token: admin, json: ["password": "a-brand-new-password"])
      #expect(reset.status == .ok)
      #expect(try await ctx.send(.GET, "/me", token: devToken).status == .unauthorized)
      _ = try await ctx.login(dev.email, "a-brand-new-password")
      let unknown = try await ctx.send(
        .PATCH, "/users/\(UUID())", token: admin, json: ["name": "x"])
      #expect(unknown.status == .notFound)
      let invalid = try await ctx.send(
        .PATCH, "/users/\(dev.id)", token: admin, json: ["role": "king"])
      #expect(invalid.status == .unprocessableEntity)
    }
  }

  @Test(arguments: TestDatabase.all)
  func listsArePaginatedWithACursorAndLinkHeader(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      for index in 0..<4 {
        _ = try await ctx.createUser(
          role: .developer, email: "dev\(index)@example.com", adminToken: admin)
      }
      var seen: [String] = []
      var path: String? = "/users?limit=2"
      while let next = path {
        let page = try await ctx.send(.GET, next, token: admin)
        #expect(page.status == .ok)
        seen += try page.content.decode([UserResponse].self).map(\.email)
        path = page.headers.first(name: .link).flatMap { link in
          link.split(separator: ">").first.map { String($0.dropFirst()) }
        }
      }
      #expect(seen == ["admin@example.com"] + (0..<4).map { "dev\($0)@example.com" })
      #expect(
        try await ctx.send(.GET, "/users?limit=201", token: admin).status == .unprocessableEntity)
      #expect(
        try await ctx.send(.GET, "/users?limit=0", token: admin).status == .unprocessableEntity)
      #expect(try await ctx.send(.GET, "/users?limit=ten", token: admin).status == .badRequest)
      #expect(
        try await ctx.send(.GET, "/users?cursor=!!", token: admin).status == .unprocessableEntity)
    }
  }

  @Test(arguments: TestDatabase.all)
  func changingOnesOwnPasswordKeepsThisSessionOnly(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let current = try await ctx.login(ctx.adminEmail, ctx.adminPassword)
      let other = try await ctx.login(ctx.adminEmail, ctx.adminPassword)
      let wrong = try await ctx.send(
        .PATCH, "/me", token: current.accessToken,
        json: ["currentPassword": "wrong-password-x", "newPassword": "another-long-password"])
      #expect(wrong.status == .unprocessableEntity)
      let missing = try await ctx.send(
        .PATCH, "/me", token: current.accessToken, json: ["newPassword": "another-long-password"])
      #expect(missing.status == .unprocessableEntity)
      // act
      let change = try await ctx.send(
        .PATCH, "/me", token: current.accessToken,
        json: [
          "name": "Renamed", "currentPassword": ctx.adminPassword,
          "newPassword": "another-long-password",
        ])
      // check
      #expect(change.status == .ok)
      #expect(try change.content.decode(UserResponse.self).name == "Renamed")
      #expect(try await ctx.send(.GET, "/me", token: current.accessToken).status == .ok)
      #expect(try await ctx.send(.GET, "/me", token: other.accessToken).status == .unauthorized)
      _ = try await ctx.login(ctx.adminEmail, "another-long-password")
      let changes = try await AuditEvent.query(on: ctx.app.db)
        .filter(\.$action == AuditAction.passwordChanged.rawValue).count()
      #expect(changes == 1)
    }
  }
}
