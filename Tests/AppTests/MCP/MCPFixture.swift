import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// A company with a developer, their issues in two trackers and a template, for the MCP tests.
struct MCPFixture {
  let ctx: TestContext
  let developerID: UUID
  let developerToken: String
  /// The developer's personal access token, as an IDE would hold it.
  let pat: String

  static let templateBody = """
    # {{key}}: {{title}}

    {{description}}

    {{#if tests}}
    Write tests in {{language}}, at least {{count}} of them.
    {{/if}}
    """

  static var schema: [String: Any] {
    [
      "type": "object",
      "properties": [
        "language": [
          "type": "string", "enum": ["swift", "go"], "default": "swift",
          "description": "The language of the tests.",
        ],
        "tests": ["type": "boolean", "description": "Whether to ask for tests."],
        "count": ["type": "integer", "minimum": 1, "default": 3],
      ],
      "required": ["tests"],
    ]
  }

  static func make(_ ctx: TestContext) async throws -> MCPFixture {
    let admin = try await ctx.adminToken()
    let dev = try await ctx.createUser(role: .developer, adminToken: admin)
    let lead = try await ctx.createUser(role: .lead, adminToken: admin)
    let leadToken = try await ctx.login(lead.email, lead.password).accessToken
    let developerToken = try await ctx.login(dev.email, dev.password).accessToken
    let created = try await ctx.send(
      .POST, "/prompt-templates", token: leadToken,
      object: ["name": "implement", "bodyMd": templateBody, "lintJson": schema])
    #expect(created.status == .created)
    let pat = try await ctx.send(
      .POST, "/me/tokens", token: developerToken,
      object: ["name": "Claude Code", "currentPassword": dev.password])
    let developerID = try #require(UUID(uuidString: dev.id))

    let db = ctx.app.db
    let first = Tracker(
      companyID: ctx.companyID, type: "jira-cloud", name: "Acme Jira",
      baseURL: "https://acme.example")
    let second = Tracker(
      companyID: ctx.companyID, type: "teamwork", name: "Second", baseURL: "https://tw.example")
    try await first.create(on: db)
    try await second.create(on: db)
    func issue(
      _ key: String, _ title: String, tracker: Tracker, category: String, assigned: Bool
    ) async throws {
      let issue = Issue(
        companyID: ctx.companyID, trackerID: try tracker.requireID(), externalKey: key,
        title: title, descriptionMarkdown: "Details of \(key).",
        criteriaMarkdown: "- [ ] \(key) works", status: category == "done" ? "Done" : "In Progress",
        statusCategory: category)
      if assigned { issue.$assignee.id = developerID }
      try await issue.create(on: db)
    }
    try await issue(
      "PS-1", "Export invoices", tracker: first, category: "in_progress", assigned: true)
    try await issue("PS-2", "Old work", tracker: first, category: "done", assigned: true)
    try await issue("PS-3", "Someone else's", tracker: first, category: "todo", assigned: false)
    try await issue("DUP-1", "Twin in Jira", tracker: first, category: "todo", assigned: true)
    try await issue("DUP-1", "Twin in Teamwork", tracker: second, category: "todo", assigned: true)
    return MCPFixture(
      ctx: ctx, developerID: developerID, developerToken: developerToken,
      pat: try #require(try pat.content.decode(PersonalAccessTokenResponse.self).token))
  }
}
