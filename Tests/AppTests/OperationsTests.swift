import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct OperationsTests {
  @Test(arguments: TestDatabase.all)
  func probesAnswerWithoutAuthentication(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      #expect(try await ctx.send(.GET, "/health").status == .ok)
      let ready = try await ctx.send(.GET, "/ready")
      #expect(ready.status == .ok)
      #expect(ready.bodyString.contains("ready"))
    }
  }

  @Test(arguments: TestDatabase.all)
  func everyResponseCarriesARequestID(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let echoed = try await ctx.send(.GET, "/health", headers: ["X-Request-Id": "trace-123"])
      #expect(echoed.headers.first(name: "X-Request-Id") == "trace-123")
      let generated = try await ctx.send(.GET, "/nowhere")
      #expect(generated.status == .notFound)
      #expect(UUID(uuidString: generated.headers.first(name: "X-Request-Id") ?? "") != nil)
      let hostile = try await ctx.send(
        .GET, "/health", headers: ["X-Request-Id": String(repeating: "x", count: 500)])
      #expect(hostile.headers.first(name: "X-Request-Id")?.count == 36)
    }
  }

  @Test(arguments: TestDatabase.all)
  func metricsCountRequestsByRouteAndStatus(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      _ = try await ctx.send(.GET, "/health")
      _ = try await ctx.send(.GET, "/me")
      let metrics = try await ctx.send(.GET, "/metrics")
      #expect(metrics.status == .ok)
      let text = metrics.bodyString
      #expect(text.contains(#"http_requests_total{method="GET",route="/health",status="200"} 1"#))
      #expect(text.contains(#"http_requests_total{method="GET",route="/me",status="401"} 1"#))
      #expect(text.contains("http_request_duration_seconds_bucket"))
      #expect(text.contains(#"http_client_errors_total{method="GET",route="/me",status="401"} 1"#))
      #expect(text.contains("process_resident_memory_bytes"))
    }
  }

  @Test(arguments: TestDatabase.all)
  func errorsAreProblemDocumentsAndWrongMethodsAre405(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let missing = try await ctx.send(.GET, "/no/such/thing")
      #expect(missing.status == .notFound)
      #expect(missing.headers.first(name: .contentType) == "application/problem+json")
      #expect(missing.problem?.status == 404)
      let wrongMethod = try await ctx.send(.DELETE, "/me")
      #expect(wrongMethod.status == .methodNotAllowed)
      #expect(wrongMethod.headers.first(name: .allow) == "GET, PATCH")
      let wrongOnParameter = try await ctx.send(.GET, "/users/\(UUID())")
      #expect(wrongOnParameter.status == .methodNotAllowed)
      #expect(wrongOnParameter.headers.first(name: .allow) == "PATCH")
    }
  }

  @Test(arguments: TestDatabase.all)
  func securityHeadersAreOnEveryResponse(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let token = try await ctx.adminToken()
      let response = try await ctx.send(.GET, "/me", token: token)
      #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
      #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
      #expect(response.headers.first(name: "Referrer-Policy") == "no-referrer")
      #expect(response.headers.first(name: .cacheControl) == "no-store")
      #expect(
        response.headers.first(name: "Content-Security-Policy")
          == "default-src 'none'; frame-ancestors 'none'")
    }
  }

  @Test(arguments: TestDatabase.all)
  func theDocumentAndItsViewerAreServed(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let yaml = try await ctx.send(.GET, "/openapi.yaml")
      #expect(yaml.status == .ok)
      #expect(yaml.bodyString.hasPrefix("openapi: 3.1.0"))
      let json = try await ctx.send(.GET, "/openapi.json")
      let object = try JSONSerialization.jsonObject(with: Data(buffer: json.body)) as? [String: Any]
      #expect(object?["openapi"] as? String == "3.1.0")
      // The reference is the console's shell (its screen reads /openapi.json): nothing is
      // loaded from another host, and the policy allows no other.
      let docs = try await ctx.send(.GET, "/docs")
      #expect(docs.status == .ok)
      #expect(docs.headers.contentType == .html)
      #expect(!docs.bodyString.contains("https://"))
      let policy = docs.headers.first(name: "Content-Security-Policy") ?? ""
      #expect(policy.contains("script-src 'self' 'sha256-"))
      #expect(!policy.contains("https:"))
    }
  }
}
