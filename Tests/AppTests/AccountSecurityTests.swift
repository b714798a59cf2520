import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Login limits under a parallel burst, personal access tokens as long-lived credentials, and
/// bodies that are validated whatever their headers say.
@Suite struct AccountSecurityTests {
  @Test(arguments: TestDatabase.all)
  func aParallelBurstOfWrongPasswordsGetsNoMoreTriesThanTheLimit(_ database: TestDatabase)
    async throws
  {
    try await withTestApp(database) { ctx in
      // act: twenty wrong passwords at once, each taking bcrypt's time
      let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
        for _ in 0..<20 {
          group.addTask {
            try await ctx.app.testing().sendRequest(
              .POST, "/auth/login", headers: ["Content-Type": "application/json"],
              body: ByteBuffer(
                string: #"{"email":"\#(ctx.adminEmail)","password":"wrong-password-1"}"#)
            ).status
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      // check: exactly the limit was verified, the rest refused before bcrypt
      #expect(statuses.filter { $0 == .unauthorized }.count == 5)
      #expect(statuses.filter { $0 == .tooManyRequests }.count == 15)
      let locked = try await ctx.send(
        .POST, "/auth/login", json: ["email": ctx.adminEmail, "password": ctx.adminPassword])
      #expect(locked.status == .tooManyRequests)
      let failures = try await AuditEvent.query(on: ctx.app.db)
        .filter(\.$action == AuditAction.loginFailed.rawValue).count()
      #expect(failures == 5)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aSuccessfulLoginDoesNotCountAgainstTheLimit(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      for _ in 0..<8 { _ = try await ctx.login(ctx.adminEmail, ctx.adminPassword) }
      let rows = try await ctx.app.db.sql
        .raw("SELECT COUNT(*) AS n FROM login_attempts").all()
      #expect(try rows.first?.decode(column: "n", as: Int.self) == 0)
    }
  }

  @Test func ipv6ClientsAreLimitedPerSlash64() {
    #expect(LoginLimiter.bucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64")
    #expect(LoginLimiter.bucket("2001:db8:1:2::1") == "2001:db8:1:2::/64")
    #expect(LoginLimiter.bucket("2001:db8:1:3::1") == "2001:db8:1:3::/64")
    #expect(LoginLimiter.bucket("::ffff:192.0.2.7") == "192.0.2.7")
    #expect(LoginLimiter.bucket("192.0.2.7") == "192.0.2.7")
  }

  @Test(arguments: TestDatabase.all)
  func tokensNeedTheCurrentPasswordAndNoTokenMintsAnother(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let missing = try await ctx.send(.POST, "/me/tokens", token: admin, object: ["name": "ci"])
      #expect(missing.status == .badRequest)
      #expect(missing.problem?.errors?.map(\.field) == ["currentPassword"])
      let wrong = try await ctx.send(
        .POST, "/me/tokens", token: admin,
        object: ["name": "ci", "currentPassword": "not-the-password"])
      #expect(wrong.status == .unprocessableEntity)
      #expect(wrong.problem?.errors?.map(\.field) == ["currentPassword"])
      let reauth = try await AuditEvent.query(on: ctx.app.db)
        .filter(\.$action == AuditAction.reauthenticationFailed.rawValue).count()
      #expect(reauth == 1)
      let created = try await ctx.send(
        .POST, "/me/tokens", token: admin,
        object: ["name": "ci", "currentPassword": ctx.adminPassword])
      #expect(created.status == .created)
      let pat = try #require(try created.content.decode(PersonalAccessTokenResponse.self).token)
      let minted = try await ctx.send(
        .POST, "/me/tokens", token: pat,
        object: ["name": "again", "currentPassword": ctx.adminPassword])
      #expect(minted.status == .forbidden)
      #expect(try await PersonalAccessToken.query(on: ctx.app.db).count() == 1)
    }
  }

  @Test(arguments: TestDatabase.all)
  func wrongCurrentPasswordsAreLimitedLikeLogins(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      for _ in 0..<5 {
        let wrong = try await ctx.send(
          .PATCH, "/me", token: admin,
          object: ["currentPassword": "guess-guess-guess", "newPassword": "another-password-1"])
        #expect(wrong.status == .unprocessableEntity)
      }
      let limited = try await ctx.send(
        .PATCH, "/me", token: admin,
        object: ["currentPassword": ctx.adminPassword, "newPassword": "another-password-1"])
      #expect(limited.status == .tooManyRequests)
      let audited = try await AuditEvent.query(on: ctx.app.db)
        .filter(\.$action == AuditAction.reauthenticationFailed.rawValue).count()
      #expect(audited == 5)
      // the limit is the account's re-authentication, not its login
      #expect(try await ctx.login(ctx.adminEmail, ctx.adminPassword).accessToken.isEmpty == false)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aPasswordChangeOrResetRevokesTheUsersTokens(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let dev = try await ctx.createUser(role: .developer, adminToken: admin)
      var session = try await ctx.login(dev.email, dev.password).accessToken
      func mint() async throws -> String {
        let created = try await ctx.send(
          .POST, "/me/tokens", token: session,
          object: ["name": "ide", "currentPassword": dev.password])
        return try #require(try created.content.decode(PersonalAccessTokenResponse.self).token)
      }
      let first = try await mint()
      let second = try await mint()
      // act: the developer changes the password
      let changed = try await ctx.send(
        .PATCH, "/me", token: session,
        object: ["currentPassword": dev.password, "newPassword": "a-new-password-42"])
      // check
      #expect(try changed.content.decode(UserResponse.self).revokedTokens == 2)
      for pat in [first, second] {
        #expect(try await ctx.send(.GET, "/me", token: pat).status == .unauthorized)
      }
      #expect(try await ctx.send(.GET, "/me", token: session).status == .ok)
      // act: an admin resets it
      let third = try await ctx.send(
        .POST, "/me/tokens", token: session,
        object: ["name": "ide", "currentPassword": "a-new-password-42"])
      let thirdSecret = try #require(
        try third.content.decode(PersonalAccessTokenResponse.self).token)
      let reset = try await ctx.send(
        .PATCH, "/users/\(dev.id)", token: admin, object: ["password": "reset-by-admin-77"])
      #expect(try reset.content.decode(UserResponse.self).revokedTokens == 1)
      #expect(try await ctx.send(.GET, "/me", token: thirdSecret).status == .unauthorized)
      session = try await ctx.login(dev.email, "reset-by-admin-77").accessToken
      let renamed = try await ctx.send(
        .PATCH, "/users/\(dev.id)", token: admin, object: ["name": "D"])
      #expect(try renamed.content.decode(UserResponse.self).revokedTokens == nil)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aBodyWithoutAJSONMediaTypeIsA415AndChangesNothing(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let body = #"{"name": "bad\u0000name", "bodyMd": "x", "lintJson": {}}"#
      for headers: HTTPHeaders in [[:], ["Content-Type": "text/plain"]] {
        var all = headers
        all.add(name: .authorization, value: "Bearer \(admin)")
        let response = try await ctx.app.testing().sendRequest(
          .POST, "/prompt-templates", headers: all, body: ByteBuffer(string: body))
        #expect(response.status == .unsupportedMediaType)
        #expect(response.headers.first(name: .contentType) == "application/problem+json")
      }
      #expect(try await PromptTemplate.query(on: ctx.app.db).count() == 0)
      // an empty body needs no Content-Type
      let created = try await ctx.send(
        .POST, "/trackers", token: admin,
        object: [
          "type": "jira-dc", "name": "J", "baseUrl": "https://jira.example.com",
          "auth": ["kind": "pat", "token": "t"],
        ])
      let id = try created.content.decode(TrackerResponse.self).id
      let sync = try await ctx.app.testing().sendRequest(
        .POST, "/trackers/\(id)/sync", headers: ["Authorization": "Bearer \(admin)"])
      #expect(sync.status == .accepted)
    }
  }
}
