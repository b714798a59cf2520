import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// `GET /issues?q=` matches the text literally: `_` and `%` are characters, not wildcards.
@Suite struct IssueSearchTests {
  /// A tracker of the test company, for its issues.
  static func tracker(_ ctx: TestContext) async throws -> UUID {
    let tracker = Tracker(
      companyID: ctx.companyID, type: "jira-cloud", name: "Jira", baseURL: "https://j.example")
    try await tracker.create(on: ctx.app.db)
    return try tracker.requireID()
  }

  @Test(arguments: TestDatabase.all)
  func wildcardsAreText(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let trackerID = try await Self.tracker(ctx)
      let titles = [
        "SRCH-1": "Fix user_id lookup", "SRCH-2": "Drop userXid column",
        "SRCH-3": "Reach 100% coverage", "SRCH-4": "Escape back\\slash paths",
      ]
      for (key, title) in titles {
        try await Issue(
          companyID: ctx.companyID, trackerID: trackerID, externalKey: key,
          title: title
        ).create(on: ctx.app.db)
      }
      func keys(_ query: String) async throws -> Set<String> {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        let response = try await ctx.send(.GET, "/issues?q=\(encoded)", token: admin)
        #expect(response.status == .ok)
        return Set(try response.content.decode([IssueResponse].self).map(\.extKey))
      }
      #expect(try await keys("user_id") == ["SRCH-1"])
      #expect(try await keys("USER_ID") == ["SRCH-1"])
      #expect(try await keys("100%") == ["SRCH-3"])
      #expect(try await keys("%") == ["SRCH-3"])
      #expect(try await keys("_") == ["SRCH-1"])
      #expect(try await keys("back\\slash") == ["SRCH-4"])
      #expect(try await keys("srch-2") == ["SRCH-2"])
    }
  }
  /// A page of long descriptions is written on the thread pool when a core has no event loop
  /// (PostgreSQL on this machine): the same bytes as on the loop.
  @Test(arguments: TestDatabase.all)
  func aLongPageIsTheSameWrittenOffTheLoop(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup: 80 KB of descriptions with characters JSON escapes
      let admin = try await ctx.adminToken()
      let trackerID = try await Self.tracker(ctx)
      let text = String(repeating: "Line \"quoted\" \\ tab\there ✓\n", count: 250)
      for number in 1...10 {
        try await Issue(
          companyID: ctx.companyID, trackerID: trackerID,
          externalKey: "LONG-\(number)", title: "Long \(number)", descriptionMarkdown: text
        ).create(on: ctx.app.db)
      }
      // act: the page on the loop, then off it
      ctx.app.eventLoopsLeaveACore = false
      let onLoop = try await ctx.send(.GET, "/issues", token: admin)
      ctx.app.eventLoopsLeaveACore = true
      let offLoop = try await ctx.send(.GET, "/issues", token: admin)
      // check
      #expect(onLoop.status == .ok)
      #expect(offLoop.status == .ok)
      #expect(onLoop.body.readableBytes > OffLoop.threshold)
      #expect(offLoop.body == onLoop.body)
      let issues = try offLoop.content.decode([IssueResponse].self)
      #expect(issues.count == 10)
      #expect(issues.allSatisfy { $0.descriptionMd == text })
    }
  }
}
