import Foundation
import Testing
import Vapor

@testable import App

/// Cross-origin access: off by default, and only for the origins in `CORS_ORIGINS`.
@Suite struct CORSTests {
  static let app = "https://app.example.com"

  static func preflight(_ origin: String) -> HTTPHeaders {
    [
      "Origin": origin, "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "authorization, content-type",
    ]
  }

  @Test func withoutCORSOriginsNoOriginIsAllowed() async throws {
    try await withTestApp(.sqlite) { ctx in
      let preflight = try await ctx.app.testing().sendRequest(
        .OPTIONS, "/users", headers: Self.preflight(Self.app))
      let read = try await ctx.app.testing().sendRequest(
        .GET, "/health", headers: ["Origin": Self.app])
      #expect(preflight.status == .methodNotAllowed)
      #expect(preflight.headers.first(name: .accessControlAllowOrigin) == nil)
      #expect(read.status == .ok)
      #expect(read.headers.first(name: .accessControlAllowOrigin) == nil)
    }
  }

  @Test func aListedOriginIsAnsweredAndOthersAreNot() async throws {
    let adjust: (inout AppConfig) -> Void = {
      $0.corsOrigins = [Self.app, "http://localhost:3000"]
    }
    try await withTestApp(.sqlite, configure: adjust) { ctx in
      // act
      let preflight = try await ctx.app.testing().sendRequest(
        .OPTIONS, "/users", headers: Self.preflight(Self.app))
      let read = try await ctx.app.testing().sendRequest(
        .GET, "/me", headers: ["Origin": "HTTPS://App.Example.com"])
      let stranger = try await ctx.app.testing().sendRequest(
        .OPTIONS, "/users", headers: Self.preflight("https://evil.example.com"))
      let strangerRead = try await ctx.app.testing().sendRequest(
        .GET, "/health", headers: ["Origin": "https://evil.example.com"])
      let unknownPath = try await ctx.app.testing().sendRequest(
        .OPTIONS, "/nowhere", headers: Self.preflight(Self.app))
      // check
      #expect(preflight.status == .noContent)
      #expect(preflight.headers.first(name: .accessControlAllowOrigin) == Self.app)
      #expect(preflight.headers.first(name: .accessControlAllowMethods) == "GET, POST")
      #expect(
        preflight.headers.first(name: .accessControlAllowHeaders)
          == "Authorization, Content-Type, X-Request-Id")
      #expect(preflight.headers[.vary].contains("Origin"))
      // an error response (401 here) still reaches the allowed origin's script
      #expect(read.status == .unauthorized)
      #expect(read.headers.first(name: .accessControlAllowOrigin) == "HTTPS://App.Example.com")
      #expect(read.headers.first(name: .accessControlExpose)?.contains("X-Request-Id") == true)
      #expect(stranger.status == .methodNotAllowed)
      #expect(stranger.headers.first(name: .accessControlAllowOrigin) == nil)
      #expect(strangerRead.status == .ok)
      #expect(strangerRead.headers.first(name: .accessControlAllowOrigin) == nil)
      #expect(unknownPath.status == .notFound)
    }
  }

  @Test func corsOriginsMustBeOrigins() throws {
    let base = ["JWT_SECRET": String(repeating: "k", count: 40)]
    let config = try AppConfig.load(
      environment: base.merging(
        ["CORS_ORIGINS": "https://App.example.com, http://localhost:3000/"],
        uniquingKeysWith: { $1 }), isProduction: false)
    #expect(config.corsOrigins == ["https://app.example.com", "http://localhost:3000"])
    let mcp = try AppConfig.load(
      environment: base.merging(
        [
          "MCP_ALLOWED_ORIGINS": "http://LOCALHOST:6274/",
          "PUBLIC_BASE_URL": "https://ps.example/api",
        ],
        uniquingKeysWith: { $1 }), isProduction: false)
    #expect(mcp.mcpAllowedOrigins == ["http://localhost:6274", "https://ps.example"])
    for variable in ["CORS_ORIGINS", "MCP_ALLOWED_ORIGINS"] {
      for bad in [
        "*", "https://app.example.com/path", "ftp://files.example.com", "app.example.com",
      ] {
        #expect(throws: ConfigError.self, "\(variable)=\(bad)") {
          try AppConfig.load(
            environment: base.merging([variable: bad], uniquingKeysWith: { $1 }),
            isProduction: false)
        }
      }
    }
  }
}
