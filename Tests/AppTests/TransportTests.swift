import AsyncHTTPClient
import Foundation
import NIOSSL
import Testing
import Vapor

@testable import App

/// TLS in the process, the plain-HTTP redirect listener, HSTS and `REQUIRE_HTTPS`.
@Suite struct TransportTests {
  @Test func tlsServesHTTPSAndThePlainPortOnlyRedirects() async throws {
    // setup
    let certificate = try SelfSignedCertificate.make()
    defer { certificate.remove() }
    let adjust: (inout AppConfig) -> Void = { config in
      config.tls = TLSFiles(
        certificateChain: certificate.certificate, privateKey: certificate.privateKey)
      config.httpRedirectPort = 0
    }
    try await withTestApp(.sqlite, configure: adjust) { ctx in
      try await LiveServer.run(ctx.app) { server in
        let redirectPort = try #require(server.redirectPort)
        try await LiveServer.withClient(trusting: certificate.certificate) { client in
          // act
          let secure = try await client.send(.GET, "https://127.0.0.1:\(server.port)/health")
          let login = try await client.send(
            .POST, "https://127.0.0.1:\(server.port)/auth/login",
            headers: [("Content-Type", "application/json")],
            body: #"{"email":"admin@example.com","password":"admin-password-123"}"#)
          let plain = try await client.send(
            .GET, "http://127.0.0.1:\(redirectPort)/issues?limit=5")
          let plainPost = try await client.send(
            .POST, "http://127.0.0.1:\(redirectPort)/auth/login", body: "{}")
          let spoofed = try await client.send(
            .GET, "http://127.0.0.1:\(redirectPort)/health", headers: [("Host", "evil.test/x")])
          // check
          #expect(secure.status == 200)
          #expect(
            secure.headers.first(name: "Strict-Transport-Security")
              == "max-age=31536000; includeSubDomains")
          #expect(login.status == 200 && login.body.contains("accessToken"))
          #expect(plain.status == 308)
          #expect(
            plain.headers.first(name: "Location")
              == "https://127.0.0.1:\(server.port)/issues?limit=5")
          #expect(plain.headers.first(name: "Strict-Transport-Security") == nil)
          #expect(plainPost.status == 308 && plainPost.body.isEmpty)
          #expect(spoofed.status == 400)
          #expect(spoofed.headers.first(name: "Location") == nil)
        }
        // a client that does not trust the certificate cannot talk to the server at all
        try await LiveServer.withClient { client in
          // AHC retries the connection until the deadline, then reports the handshake failure
          await #expect(throws: NIOSSLError.self) {
            try await client.send(
              .GET, "https://127.0.0.1:\(server.port)/health", timeout: .seconds(2))
          }
        }
      }
    }
  }

  @Test func plainHTTPResponsesCarryNoHSTS() async throws {
    try await withTestApp(.sqlite) { ctx in
      let response = try await ctx.send(.GET, "/health")
      #expect(response.status == .ok)
      #expect(response.headers.first(name: "Strict-Transport-Security") == nil)
      #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
    }
  }

  @Test func requireHTTPSRedirectsReadsAndRefusesWrites() async throws {
    let adjust: (inout AppConfig) -> Void = { $0.requireHTTPS = true }
    try await withTestApp(.sqlite, configure: adjust) { ctx in
      // setup
      let users = try await User.query(on: ctx.app.db).count()
      // act: in-memory requests have no TLS and no trusted proxy
      let read = try await ctx.app.testing().sendRequest(
        .GET, "/users?limit=2", headers: ["Host": "api.example.com:8080"])
      let write = try await ctx.app.testing().sendRequest(
        .POST, "/users", headers: ["Host": "api.example.com", "Content-Type": "application/json"],
        body: ByteBuffer(string: #"{"email":"x@example.com"}"#))
      let probe = try await ctx.app.testing().sendRequest(.GET, "/health")
      let badHost = try await ctx.app.testing().sendRequest(
        .GET, "/me", headers: ["Host": "evil.test@other.test"])
      // check
      #expect(read.status == .permanentRedirect)
      #expect(read.headers.first(name: .location) == "https://api.example.com/users?limit=2")
      #expect(write.status == .forbidden)
      #expect(write.headers.contentType?.description.hasPrefix("application/problem+json") == true)
      #expect(write.problem?.type == "https-required")
      #expect(probe.status == .ok)
      #expect(badHost.status == .badRequest && badHost.headers.first(name: .location) == nil)
      #expect(try await User.query(on: ctx.app.db).count() == users)
    }
  }

  @Test func requireHTTPSRedirectsToThePublicBaseURL() async throws {
    let adjust: (inout AppConfig) -> Void = { config in
      config.requireHTTPS = true
      config.publicBaseURL = "https://promptsmith.example.com"
    }
    try await withTestApp(.sqlite, configure: adjust) { ctx in
      let read = try await ctx.app.testing().sendRequest(
        .GET, "/prompts", headers: ["Host": "attacker.test"])
      #expect(read.status == .permanentRedirect)
      #expect(read.headers.first(name: .location) == "https://promptsmith.example.com/prompts")
    }
  }

  @Test func forwardedProtoCountsOnlyFromATrustedProxy() async throws {
    for trusted in [true, false] {
      let adjust: (inout AppConfig) -> Void = { config in
        config.requireHTTPS = true
        config.trustedProxies = trusted ? try! TrustedProxies(parsing: "127.0.0.1") : .none
      }
      try await withTestApp(.sqlite, configure: adjust) { ctx in
        try await LiveServer.run(ctx.app) { server in
          try await LiveServer.withClient { client in
            // act
            let forwarded = try await client.send(
              .GET, "http://127.0.0.1:\(server.port)/openapi.yaml",
              headers: [("X-Forwarded-Proto", "https")])
            let direct = try await client.send(
              .GET, "http://127.0.0.1:\(server.port)/openapi.yaml")
            let appended = try await client.send(
              .GET, "http://127.0.0.1:\(server.port)/openapi.yaml",
              headers: [("X-Forwarded-Proto", "https, http")])
            // check
            #expect(forwarded.status == (trusted ? 200 : 308))
            #expect(
              (forwarded.headers.first(name: "Strict-Transport-Security") != nil) == trusted)
            #expect(direct.status == 308)
            #expect(
              direct.headers.first(name: "Location")
                == "https://127.0.0.1/openapi.yaml")
            #expect(appended.status == 308)
          }
        }
      }
    }
  }

  @Test func tlsAndRedirectSettingsAreReadFromTheEnvironment() throws {
    let certificate = try SelfSignedCertificate.make()
    defer { certificate.remove() }
    let base = ["JWT_SECRET": String(repeating: "k", count: 40)]
    let config = try AppConfig.load(
      environment: base.merging(
        [
          "TLS_CERT_FILE": certificate.certificate, "TLS_KEY_FILE": certificate.privateKey,
          "HTTP_PORT": "8080", "REQUIRE_HTTPS": "true",
        ], uniquingKeysWith: { $1 }), isProduction: false)
    #expect(config.tls?.certificateChain == certificate.certificate)
    #expect(config.httpRedirectPort == 8080 && config.requireHTTPS)
    let error = try #require(
      throws: ConfigError.self,
      performing: {
        try AppConfig.load(
          environment: base.merging(
            [
              "TLS_CERT_FILE": "/nonexistent/cert.pem", "TLS_KEY_FILE": "/nonexistent/key.pem",
              "HTTP_PORT": "80000",
              "REQUIRE_HTTPS": "maybe",
            ], uniquingKeysWith: { $1 }), isProduction: false)
      })
    let variables = error.problems.map { String($0.prefix { $0 != ":" }) }
    #expect(
      Set(variables) == ["TLS_CERT_FILE", "TLS_KEY_FILE", "HTTP_PORT", "REQUIRE_HTTPS"])
  }
}
