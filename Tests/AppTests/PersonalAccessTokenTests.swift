import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// Personal access tokens: shown once, usable as a bearer token with the user's current role.
@Suite struct PersonalAccessTokenTests {
  @Test(arguments: TestDatabase.all)
  func aTokenActsAsItsUserUntilRevoked(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let dev = try await ctx.createUser(role: .developer, adminToken: admin)
      let devToken = try await ctx.login(dev.email, dev.password).accessToken
      // act
      let created = try await ctx.send(
        .POST, "/me/tokens", token: devToken,
        object: [
          "name": "Cursor", "expiresInDays": 30, "currentPassword": dev.password,
        ])
      #expect(created.status == .created)
      let pat = try created.content.decode(PersonalAccessTokenResponse.self)
      let secret = try #require(pat.token)
      // check
      #expect(secret.hasPrefix("ps_pat_") && secret.count >= 7 + 43)
      let stored = try #require(
        try await PersonalAccessToken.find(UUID(uuidString: pat.id), on: ctx.app.db))
      #expect(stored.tokenHash != secret && !stored.tokenHash.contains("ps_pat_"))
      let me = try await ctx.send(.GET, "/me", token: secret)
      #expect(try me.content.decode(UserResponse.self).email == dev.email.lowercased())
      #expect(try await ctx.send(.GET, "/users", token: secret).status == .forbidden)
      let mine = try await ctx.send(.GET, "/me/tokens", token: secret)
      let listed = try mine.content.decode([PersonalAccessTokenResponse].self)
      #expect(listed.count == 1 && listed[0].token == nil && listed[0].lastUsedAt != nil)
      #expect(try await ctx.send(.POST, "/auth/logout", token: secret).status == .forbidden)
      // a role change applies at once; disabling the user stops the token
      _ = try await ctx.send(.PATCH, "/users/\(dev.id)", token: admin, object: ["role": "admin"])
      #expect(try await ctx.send(.GET, "/users", token: secret).status == .ok)
      _ = try await ctx.send(.PATCH, "/users/\(dev.id)", token: admin, object: ["disabled": true])
      #expect(try await ctx.send(.GET, "/me", token: secret).status == .unauthorized)
      _ = try await ctx.send(.PATCH, "/users/\(dev.id)", token: admin, object: ["disabled": false])
      #expect(try await ctx.send(.GET, "/me", token: secret).status == .ok)
      // the admin sees and revokes it
      let company = try await ctx.send(.GET, "/tokens", token: admin)
      #expect(try company.content.decode([PersonalAccessTokenResponse].self).map(\.id) == [pat.id])
      #expect(try await ctx.send(.DELETE, "/tokens/\(pat.id)", token: admin).status == .noContent)
      #expect(try await ctx.send(.GET, "/me", token: secret).status == .unauthorized)
      // disabling ended the developer's sessions: log in again; revoking it again changes nothing
      let again = try await ctx.login(dev.email, dev.password).accessToken
      let auditRows = try await AuditEvent.query(on: ctx.app.db).count()
      let gone = try await ctx.send(.DELETE, "/me/tokens/\(pat.id)", token: again)
      #expect(gone.status == .noContent)
      #expect(try await AuditEvent.query(on: ctx.app.db).count() == auditRows)
      #expect(try await ctx.send(.GET, "/me/tokens", token: again).bodyString == "[]")
    }
  }

  @Test(arguments: TestDatabase.all)
  func tokensAreValidatedAndExpire(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let invalid = try await ctx.send(
        .POST, "/me/tokens", token: admin,
        object: ["name": "", "expiresInDays": 400, "currentPassword": ctx.adminPassword])
      #expect(invalid.status == .unprocessableEntity)
      #expect(Set(invalid.problem?.errors?.map(\.field) ?? []) == ["name", "expiresInDays"])
      let created = try await ctx.send(
        .POST, "/me/tokens", token: admin,
        object: ["name": "ci", "currentPassword": ctx.adminPassword])
      let pat = try created.content.decode(PersonalAccessTokenResponse.self)
      let secret = try #require(pat.token)
      let row = try #require(
        try await PersonalAccessToken.find(UUID(uuidString: pat.id), on: ctx.app.db))
      row.expiresAt = Date().addingTimeInterval(-1)
      try await row.save(on: ctx.app.db)
      #expect(try await ctx.send(.GET, "/me", token: secret).status == .unauthorized)
      #expect(
        try await ctx.send(.GET, "/me", token: "ps_pat_not-a-real-token").status == .unauthorized)
      let mine = try await ctx.send(.DELETE, "/me/tokens/\(pat.id)", token: admin)
      #expect(mine.status == .noContent)
    }
  }
}
