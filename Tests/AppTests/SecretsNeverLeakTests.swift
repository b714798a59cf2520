import Fluent
import Foundation
import Logging
import Synchronization
import Testing
import Vapor

@testable import App

/// Known secrets planted through the API never reach a log line or an `audit_events` row.
@Suite struct SecretsNeverLeakTests {
  @Test(arguments: TestDatabase.all)
  func plantedSecretsAreNotInLogsOrTheAuditTrail(_ database: TestDatabase) async throws {
    let lines = ProcessLogs.lines
    let debug: (inout AppConfig) -> Void = { $0.logLevel = .trace }
    try await withTestApp(database, configure: debug) { ctx in
      // setup: log in (password, tokens, cookie), fail a login, store tracker credentials,
      // change a password, create a personal access token
      let wrongPassword = "planted-wrong-password-4711"
      let newPassword = "planted-new-password-0815"
      let trackerToken = "planted-tracker-pat-c0ffee"
      let webhookSecret = "planted-webhook-secret-beef"
      _ = try await ctx.send(
        .POST, "/auth/login", json: ["email": ctx.adminEmail, "password": wrongPassword])
      let pair = try await ctx.login(ctx.adminEmail, ctx.adminPassword)
      let refreshed = try await ctx.send(
        .POST, "/auth/refresh", headers: ["Cookie": "ps_refresh=\(pair.refreshToken)"])
      #expect(refreshed.status == .ok)
      let current = try refreshed.content.decode(TokenPairResponse.self)
      let tracker = try await ctx.send(
        .POST, "/trackers", token: current.accessToken,
        object: [
          "type": "jira-dc", "name": "Jira", "baseUrl": "https://jira.example.com",
          "auth": ["kind": "pat", "token": trackerToken], "webhookSecret": webhookSecret,
        ])
      #expect(tracker.status == .created)
      let pat = try await ctx.send(
        .POST, "/me/tokens", token: current.accessToken,
        object: ["name": "ci", "currentPassword": ctx.adminPassword])
      let patSecret = try #require(try pat.content.decode(PersonalAccessTokenResponse.self).token)
      #expect(try await ctx.send(.GET, "/me", token: patSecret).status == .ok)
      let changed = try await ctx.send(
        .PATCH, "/me", token: current.accessToken,
        object: ["currentPassword": ctx.adminPassword, "newPassword": newPassword])
      #expect(changed.status == .ok)
      // the password change revoked the token
      #expect(try await ctx.send(.GET, "/me", token: patSecret).status == .unauthorized)
      let bad = try await ctx.send(
        .POST, "/users", token: current.accessToken,
        object: ["email": "x@example.com", "name": "X", "role": "developer", "password": "short"])
      #expect(bad.status == .unprocessableEntity)

      // check
      let secrets = [
        ctx.adminPassword, wrongPassword, newPassword, trackerToken, webhookSecret, patSecret,
        pair.accessToken, pair.refreshToken, current.accessToken, current.refreshToken,
      ]
      let audit = try await AuditEvent.query(on: ctx.app.db).all().map {
        [
          $0.action, $0.attemptedEmail ?? "", $0.detailsJSON ?? "", $0.changedFieldsJSON ?? "",
          $0.userAgent ?? "", $0.requestID ?? "",
        ].joined(separator: " ")
      }.joined(separator: "\n")
      let logs = lines.all.joined()
      #expect(logs.contains("auth.login.failed"), "the log capture must see this test's lines")
      #expect(audit.contains("tracker.created"))
      for secret in secrets {
        #expect(!logs.contains(secret), "a secret reached the log")
        #expect(!audit.contains(secret), "a secret reached audit_events")
      }
      // a JWT's signature part alone must not appear either
      for token in [pair.accessToken, current.accessToken] {
        let signature = String(token.split(separator: ".").last ?? "")
        #expect(!signature.isEmpty && !logs.contains(signature))
      }
    }
  }
}
