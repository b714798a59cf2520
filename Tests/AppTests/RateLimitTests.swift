import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor

@testable import App

/// `RATE_LIMIT_PER_MINUTE`: a token bucket per client IP on every request and per user on
/// authenticated ones.
@Suite struct RateLimitTests {
  @Test func aBucketEmptiesAndRefillsOverAMinute() {
    // setup: a clock moved by hand
    let clock = NIOLockedValueBox(100.0)
    let limiter = RateLimiter(perMinute: 3, now: { clock.withLockedValue { $0 } })
    // act, check
    #expect(limiter.take("a") == nil)
    #expect(limiter.take("a") == nil)
    #expect(limiter.take("a") == nil)
    #expect(limiter.take("a") == 20)
    #expect(limiter.take("b") == nil)
    clock.withLockedValue { $0 += 15 }
    #expect(limiter.take("a") == 5)
    clock.withLockedValue { $0 += 5 }
    #expect(limiter.take("a") == nil)
    #expect(limiter.take("a") == 20)
    clock.withLockedValue { $0 += 3600 }
    for _ in 0..<3 { #expect(limiter.take("a") == nil) }
  }

  @Test func idleBucketsAreDropped() {
    let clock = NIOLockedValueBox(0.0)
    let limiter = RateLimiter(perMinute: 60, now: { clock.withLockedValue { $0 } })
    for index in 0...RateLimiter.sweepThreshold { _ = limiter.take("ip:\(index)") }
    #expect(limiter.bucketCount == RateLimiter.sweepThreshold + 1)
    clock.withLockedValue { $0 += 61 }
    _ = limiter.take("fresh")
    #expect(limiter.bucketCount == 1)
  }

  @Test func theClientIPGets429WithRetryAfter() async throws {
    let adjust: (inout AppConfig) -> Void = { $0.rateLimitPerMinute = 3 }
    try await withTestApp(.sqlite, configure: adjust) { ctx in
      ctx.app.rateLimiter = RateLimiter(perMinute: 3, now: { 0 })
      for _ in 0..<3 {
        #expect(try await ctx.send(.GET, "/health").status == .ok)
      }
      let limited = try await ctx.send(.GET, "/health")
      #expect(limited.status == .tooManyRequests)
      #expect(limited.headers.first(name: .retryAfter) == "20")
      #expect(limited.problem?.type == "rate-limited")
      #expect(limited.headers.first(name: "X-Content-Type-Options") == "nosniff")
      let login = try await ctx.send(
        .POST, "/auth/login", json: ["email": ctx.adminEmail, "password": ctx.adminPassword])
      #expect(login.status == .tooManyRequests)
    }
  }

  @Test func aUserIsLimitedAcrossAddresses() async throws {
    // setup: the proxy on 127.0.0.1 is trusted, so each X-Forwarded-For is its own client IP
    let adjust: (inout AppConfig) -> Void = { config in
      config.rateLimitPerMinute = 4
      config.trustedProxies = try! TrustedProxies(parsing: "127.0.0.1")
    }
    try await withTestApp(.sqlite, configure: adjust) { ctx in
      // a stopped clock: no token comes back however slowly the machine runs the test
      ctx.app.rateLimiter = RateLimiter(perMinute: 4, now: { 0 })
      try await LiveServer.run(ctx.app) { server in
        try await LiveServer.withClient { client in
          let base = "http://127.0.0.1:\(server.port)"
          let login = try await client.send(
            .POST, base + "/auth/login",
            headers: [("Content-Type", "application/json"), ("X-Forwarded-For", "192.0.2.1")],
            body: #"{"email":"admin@example.com","password":"admin-password-123"}"#)
          let token = try #require(
            (try JSONSerialization.jsonObject(with: Data(login.body.utf8)) as? [String: Any])?[
              "accessToken"] as? String)
          // act: four requests as the admin, each from another address
          var statuses: [Int] = []
          for index in 2...6 {
            let response = try await client.send(
              .GET, base + "/me",
              headers: [
                ("Authorization", "Bearer \(token)"), ("X-Forwarded-For", "192.0.2.\(index)"),
              ])
            statuses.append(response.status)
          }
          let anonymous = try await client.send(
            .GET, base + "/health", headers: [("X-Forwarded-For", "192.0.2.6")])
          // check: the user's bucket empties; the last address still has its own budget
          #expect(statuses == [200, 200, 200, 200, 429])
          #expect(anonymous.status == 200)
        }
      }
    }
  }

  @Test func rateLimitIsConfigurable() throws {
    let base = ["JWT_SECRET": String(repeating: "k", count: 40)]
    #expect(
      try AppConfig.load(environment: base, isProduction: false).rateLimitPerMinute == 1200)
    let off = try AppConfig.load(
      environment: base.merging(["RATE_LIMIT_PER_MINUTE": "0"], uniquingKeysWith: { $1 }),
      isProduction: false)
    #expect(off.rateLimitPerMinute == 0)
    #expect(throws: ConfigError.self) {
      try AppConfig.load(
        environment: base.merging(["RATE_LIMIT_PER_MINUTE": "-1"], uniquingKeysWith: { $1 }),
        isProduction: false)
    }
  }
}
