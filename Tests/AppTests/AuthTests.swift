import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct AuthTests {
  @Test(arguments: TestDatabase.all)
  func loginReturnsTokensAndASecureCookie(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // act
      let response = try await ctx.send(
        .POST, "/auth/login", json: ["email": "ADMIN@Example.com", "password": ctx.adminPassword])
      // check
      #expect(response.status == .ok)
      let pair = try response.content.decode(TokenPairResponse.self)
      let cookie = try #require(
        response.headers[.setCookie].first { $0.hasPrefix("ps_refresh=") })
      #expect(cookie.hasPrefix("ps_refresh=\(pair.refreshToken);"))
      // the console's hint that a session may exist: no secret, readable by scripts
      let hint = try #require(response.headers[.setCookie].first { $0.hasPrefix("ps_session=") })
      #expect(hint.hasPrefix("ps_session=1;") && !hint.contains("HttpOnly"))
      #expect(hint.contains("Path=/;") || hint.hasSuffix("Path=/"))
      for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/auth", "Max-Age=604800"] {
        #expect(cookie.contains(attribute), "cookie lacks \(attribute)")
      }
      let me = try await ctx.send(.GET, "/me", token: pair.accessToken)
      #expect(me.status == .ok)
      #expect(try me.content.decode(UserResponse.self).email == "admin@example.com")
    }
  }

  @Test(arguments: TestDatabase.all)
  func wrongPasswordAndUnknownEmailLookTheSame(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let wrongPassword = try await ctx.send(
        .POST, "/auth/login", json: ["email": ctx.adminEmail, "password": "not-the-password"])
      let unknownEmail = try await ctx.send(
        .POST, "/auth/login", json: ["email": "nobody@example.com", "password": "whatever-pass"])
      #expect(wrongPassword.status == .unauthorized)
      #expect(unknownEmail.status == .unauthorized)
      #expect(wrongPassword.bodyString == unknownEmail.bodyString)
      let events = try await AuditEvent.query(on: ctx.app.db)
        .filter(\.$action == AuditAction.loginFailed.rawValue).all()
      #expect(
        Set(events.compactMap(\.attemptedEmail)) == ["admin@example.com", "nobody@example.com"])
      #expect(!events.contains { ($0.detailsJSON ?? "").contains("not-the-password") })
    }
  }

  @Test(arguments: TestDatabase.all)
  func disabledUserCannotLogInAndLosesAccessAtOnce(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let dev = try await ctx.createUser(role: .developer, adminToken: admin)
      let devToken = try await ctx.login(dev.email, dev.password).accessToken
      // act
      let disable = try await ctx.send(
        .PATCH, "/users/\(dev.id)", token: admin, json: ["disabled": true])
      // check
      #expect(disable.status == .ok)
      #expect(try await ctx.send(.GET, "/me", token: devToken).status == .unauthorized)
      let login = try await ctx.send(
        .POST, "/auth/login", json: ["email": dev.email, "password": dev.password])
      #expect(login.status == .unauthorized)
    }
  }

  @Test(arguments: TestDatabase.all)
  func refreshRotatesAndReuseRevokesTheFamily(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let first = try await ctx.login(ctx.adminEmail, ctx.adminPassword)
      // act: rotate once with the JSON body, once with the cookie
      let second = try await ctx.send(
        .POST, "/auth/refresh", json: ["refreshToken": first.refreshToken])
      #expect(second.status == .ok)
      let secondPair = try second.content.decode(TokenPairResponse.self)
      #expect(secondPair.refreshToken != first.refreshToken)
      let third = try await ctx.send(
        .POST, "/auth/refresh", headers: ["Cookie": "ps_refresh=\(secondPair.refreshToken)"])
      #expect(third.status == .ok)
      let thirdPair = try third.content.decode(TokenPairResponse.self)

      // the first token was rotated long ago: presenting it again is theft
      try await ctx.app.db.sql.update("refresh_tokens")
        .set("rotated_at", to: SQLBind(Date().addingTimeInterval(-60)))
        .where("token_hash", .equal, SQLBind(SessionService.hash(first.refreshToken)))
        .run()
      let reuse = try await ctx.send(
        .POST, "/auth/refresh", json: ["refreshToken": first.refreshToken])

      // check: the whole family is gone, access tokens included
      #expect(reuse.status == .unauthorized)
      let afterTheft = try await ctx.send(
        .POST, "/auth/refresh", json: ["refreshToken": thirdPair.refreshToken])
      #expect(afterTheft.status == .unauthorized)
      #expect(try await ctx.send(.GET, "/me", token: thirdPair.accessToken).status == .unauthorized)
      let detections = try await AuditEvent.query(on: ctx.app.db)
        .filter(\.$action == AuditAction.refreshReuseDetected.rawValue).count()
      #expect(detections == 1)
      // another session of the same user is untouched
      let other = try await ctx.login(ctx.adminEmail, ctx.adminPassword)
      #expect(try await ctx.send(.GET, "/me", token: other.accessToken).status == .ok)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aDuplicateWithinTheGraceWindowIsRefusedWithoutRevocation(_ database: TestDatabase)
    async throws
  {
    try await withTestApp(database) { ctx in
      let first = try await ctx.login(ctx.adminEmail, ctx.adminPassword)
      // A frozen clock: on a loaded machine two requests can lie further apart than the window.
      let instant = Date()
      let service = SessionService(
        database: ctx.app.db, hasher: ctx.app.passwordHasher,
        jwtAccessTokens: ctx.app.jwtAccessTokens,
        audit: AuditLog(database: ctx.app.db, logger: ctx.app.logger),
        now: { instant })
      let client = ClientInfo(ip: nil, userAgent: nil, requestID: nil)
      let pair = try await service.refresh(token: first.refreshToken, client: client)
      // act
      await #expect(throws: (any Error).self) {
        try await service.refresh(token: first.refreshToken, client: client)
      }
      // check: the family lives on, with the rotated token
      let next = try await ctx.send(
        .POST, "/auth/refresh", json: ["refreshToken": pair.refreshToken])
      #expect(next.status == .ok)
      let detections = try await AuditEvent.query(on: ctx.app.db)
        .filter(\.$action == AuditAction.refreshReuseDetected.rawValue).count()
      #expect(detections == 0)
    }
  }

  @Test(arguments: TestDatabase.all)
  func concurrentRefreshesWithOneTokenLetExactlyOneThrough(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let pair = try await ctx.login(ctx.adminEmail, ctx.adminPassword)
      let service = SessionService(
        database: ctx.app.db, hasher: ctx.app.passwordHasher,
        jwtAccessTokens: ctx.app.jwtAccessTokens,
        audit: AuditLog(database: ctx.app.db, logger: ctx.app.logger),
        now: { Date() })
      // act
      let outcomes = await withTaskGroup(of: Bool.self) { group in
        for _ in 0..<8 {
          group.addTask {
            (try? await service.refresh(
              token: pair.refreshToken, client: ClientInfo(ip: nil, userAgent: nil, requestID: nil)))
              != nil
          }
        }
        return await group.reduce(into: [Bool]()) { $0.append($1) }
      }
      // check
      #expect(outcomes.filter { $0 }.count == 1)
      let children = try await RefreshToken.query(on: ctx.app.db).filter(\.$parent.$id != nil)
        .count()
      #expect(children == 1)
    }
  }

  @Test(arguments: TestDatabase.all)
  func logoutRevokesTheSessionAndClearsTheCookie(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let pair = try await ctx.login(ctx.adminEmail, ctx.adminPassword)
      // act
      let logout = try await ctx.send(.POST, "/auth/logout", token: pair.accessToken)
      // check
      #expect(logout.status == .noContent)
      let cookie = try #require(logout.headers[.setCookie].first { $0.hasPrefix("ps_refresh=") })
      #expect(cookie.hasPrefix("ps_refresh=;") && cookie.contains("Max-Age=0"))
      let hint = try #require(logout.headers[.setCookie].first { $0.hasPrefix("ps_session=") })
      #expect(hint.contains("Max-Age=0"))
      #expect(try await ctx.send(.GET, "/me", token: pair.accessToken).status == .unauthorized)
      let refresh = try await ctx.send(
        .POST, "/auth/refresh", json: ["refreshToken": pair.refreshToken])
      #expect(refresh.status == .unauthorized)
    }
  }

  @Test(arguments: TestDatabase.all)
  func logoutWithTheRefreshCookieAlone(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let pair = try await ctx.login(ctx.adminEmail, ctx.adminPassword)
      let logout = try await ctx.send(
        .POST, "/auth/logout", headers: ["Cookie": "ps_refresh=\(pair.refreshToken)"])
      #expect(logout.status == .noContent)
      #expect(try await ctx.send(.GET, "/me", token: pair.accessToken).status == .unauthorized)
      #expect(try await ctx.send(.POST, "/auth/logout").status == .unauthorized)
    }
  }

  @Test(arguments: TestDatabase.all)
  func refreshWithoutATokenOrWithGarbageIsRefused(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let empty = try await ctx.send(.POST, "/auth/refresh")
      let unknown = try await ctx.send(.POST, "/auth/refresh", json: ["refreshToken": "nope"])
      let malformed = try await ctx.send(.POST, "/auth/refresh", rawBody: "{")
      #expect(empty.status == .unauthorized)
      #expect(unknown.status == .unauthorized)
      #expect(malformed.status == .badRequest)
    }
  }

  @Test(arguments: TestDatabase.all)
  func passwordsLongerThanBcryptsLimitNeedEveryByte(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let long = String(repeating: "a", count: 72) + "-and-the-rest"
      let response = try await ctx.send(
        .POST, "/users", token: admin,
        json: ["email": "long@example.com", "name": "Long", "role": "developer", "password": long])
      #expect(response.status == .created)
      // act
      let prefixOnly = try await ctx.send(
        .POST, "/auth/login",
        json: ["email": "long@example.com", "password": String(repeating: "a", count: 72)])
      let whole = try await ctx.send(
        .POST, "/auth/login", json: ["email": "long@example.com", "password": long])
      // check
      #expect(prefixOnly.status == .unauthorized)
      #expect(whole.status == .ok)
    }
  }

  @Test(arguments: TestDatabase.all)
  func repeatedFailuresLockTheEmailWhetherOrNotItExists(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let other = try await ctx.createUser(role: .developer, adminToken: try await ctx.adminToken())
      for email in [ctx.adminEmail, "ghost@example.com"] {
        for _ in 0..<5 {
          let failed = try await ctx.send(
            .POST, "/auth/login", json: ["email": email, "password": "wrong-password-1"])
          #expect(failed.status == .unauthorized)
        }
        // act: even the right password is refused now
        let locked = try await ctx.send(
          .POST, "/auth/login", json: ["email": email, "password": ctx.adminPassword])
        // check
        #expect(locked.status == .tooManyRequests)
        let retryAfter = Int(locked.headers.first(name: .retryAfter) ?? "") ?? 0
        #expect((1...900).contains(retryAfter))
      }
      // another account is not affected
      let unaffected = try await ctx.send(
        .POST, "/auth/login", json: ["email": other.email, "password": other.password])
      #expect(unaffected.status == .ok)
    }
  }

  @Test func bcryptRunsAtCostTwelveByDefault() throws {
    let config = try AppConfig.load(
      environment: [
        "JWT_SECRET": String(repeating: "s", count: 32), "DATABASE_URL": "sqlite::memory:",
        "ENCRYPTION_KEY": ConfigTests.key,
      ],
      isProduction: true)
    #expect(config.bcryptCost == 12)
  }
}
