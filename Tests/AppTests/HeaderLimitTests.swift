import AsyncHTTPClient
import Foundation
import Testing
import Vapor

@testable import App

/// Header blocks: up to 32 KiB are served, larger ones get 431 problem+json, and beyond the
/// HTTP parser's 80 KiB the connection closes without a response, and the server carries on.
@Suite struct HeaderLimitTests {
  @Test func oversizedHeadersAreRefusedOverRealSockets() async throws {
    try await withTestApp(.sqlite) { ctx in
      try await LiveServer.run(ctx.app) { server in
        try await LiveServer.withClient { client in
          let url = "http://127.0.0.1:\(server.port)/health"
          func header(_ bytes: Int) -> [(String, String)] {
            [("X-Padding", String(repeating: "a", count: bytes))]
          }
          let fits = try await client.send(.GET, url, headers: header(20_000))
          let tooLarge = try await client.send(.GET, url, headers: header(40_000))
          #expect(fits.status == 200)
          #expect(tooLarge.status == 431)
          #expect(
            tooLarge.headers.first(name: "Content-Type")?.hasPrefix("application/problem+json")
              == true)
          #expect(tooLarge.body.contains(#""type":"header-fields-too-large""#))
          #expect(tooLarge.body.contains("at most 32768"))
          // past the parser's limit: no response at all, and no harm to the next request
          await #expect(throws: (any Error).self) {
            try await client.send(.GET, url, headers: header(100_000), timeout: .seconds(10))
          }
          #expect(try await client.send(.GET, url).status == 200)
        }
      }
    }
  }

  @Test(arguments: TestDatabase.all)
  func aLongURLCountsTowardsTheLimit(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let query = String(repeating: "x", count: 33_000)
      let response = try await ctx.send(.GET, "/issues?q=\(query)", token: admin)
      #expect(response.status == .requestHeaderFieldsTooLarge)
      #expect(response.problemJSON?["type"] as? String == "header-fields-too-large")
    }
  }
}
