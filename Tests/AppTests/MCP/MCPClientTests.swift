import Fluent
import Foundation
import MCP
import Testing
import Vapor

@testable import App

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The MCP endpoint through the swift-sdk's own `Client`, over real HTTP, as an assistant uses it.
@Suite struct MCPClientTests {
  @Test(arguments: TestDatabase.all)
  func anAssistantFindsRendersAndSubmits(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await MCPFixture.make(ctx)
      try await withRunningServer(ctx.app) { endpoint in
        let transport = Self.transport(endpoint, token: f.pat)
        let client = MCP.Client(name: "claude-code", version: "2.0.14")
        let initialized = try await client.connect(transport: transport)
        #expect(initialized.serverInfo.name == "promptsmith")
        #expect(initialized.capabilities.tools != nil && initialized.capabilities.prompts != nil)
        let sessionID = try #require(await transport.sessionID)
        #expect(MCPClientTag(sessionID: sessionID)?.name == "claude-code")

        // tools
        let tools = try await client.listTools().tools
        #expect(
          Set(tools.map(\.name))
            == [
              "list_my_issues", "get_issue", "list_templates", "generate_prompt", "submit_output",
              "review_output",
            ])
        let mine = try await client.callTool(name: "list_my_issues")
        let mineText = Self.text(mine.content)
        #expect(mine.isError != true)
        #expect(mineText.contains("PS-1") && mineText.contains("DUP-1"))
        #expect(!mineText.contains("PS-2") && !mineText.contains("PS-3"))
        let done = Self.text(
          try await client.callTool(name: "list_my_issues", arguments: ["status": "done"]).content)
        #expect(done.contains("PS-2") && !done.contains("PS-1"))
        let searched = Self.text(
          try await client.callTool(name: "list_my_issues", arguments: ["query": "invoices"])
            .content)
        #expect(searched.contains("PS-1") && !searched.contains("DUP-1"))

        let issue = try await client.callTool(name: "get_issue", arguments: ["key": "ps-1"])
        #expect(issue.isError != true)
        #expect(Self.text(issue.content).contains("# PS-1: Export invoices"))
        #expect(Self.text(issue.content).contains("## Acceptance criteria\n\n- [ ] PS-1 works"))
        let twin = try await client.callTool(name: "get_issue", arguments: ["key": "DUP-1"])
        #expect(twin.isError == true)
        #expect(
          Self.text(twin.content).contains("Acme Jira")
            && Self.text(twin.content).contains("Second"))
        let chosen = try await client.callTool(
          name: "get_issue", arguments: ["key": "DUP-1", "tracker": "second"])
        #expect(Self.text(chosen.content).contains("Twin in Teamwork"))
        let missing = try await client.callTool(name: "get_issue", arguments: ["key": "NOPE-9"])
        #expect(missing.isError == true && Self.text(missing.content).contains("404"))

        let templates = Self.text(try await client.callTool(name: "list_templates").content)
        #expect(templates.contains("implement (version 1"))
        #expect(templates.contains("tests (boolean, required)"))
        #expect(templates.contains("language (string, default \"swift\")"))

        let generated = try await client.callTool(
          name: "generate_prompt",
          arguments: ["issueKey": "PS-1", "template": "implement", "vars": ["tests": true]])
        #expect(generated.isError != true)
        #expect(Self.text(generated.content).contains("Write tests in swift, at least 3 of them."))
        let version = try #require(
          try await PromptVersion.query(on: ctx.app.db).sort(\.$createdAt, .descending).first())
        let versionID = try version.requireID().uuidString.lowercased()
        #expect(Self.text(generated.content).contains(versionID))
        let event = try #require(
          try await GenerationEvent.query(on: ctx.app.db)
            .filter(\.$promptVersion.$id == version.requireID()).first())
        #expect(event.ide == "claude-code")
        // a label that is not set is refused; `latest` names the newest version
        let unlabelled = try await client.callTool(
          name: "generate_prompt",
          arguments: [
            "issueKey": "PS-1", "template": "implement", "vars": ["tests": true],
            "templateLabel": "staging",
          ])
        #expect(unlabelled.isError == true && Self.text(unlabelled.content).contains("404"))
        let labelled = try await client.callTool(
          name: "generate_prompt",
          arguments: [
            "issueKey": "PS-1", "template": "implement", "vars": ["tests": true],
            "templateLabel": "latest",
          ])
        #expect(labelled.isError != true)
        let labelledVersion = try #require(
          try await PromptVersion.query(on: ctx.app.db).sort(\.$createdAt, .descending).first())
        #expect(labelledVersion.templateLabel == "latest")

        // invalid arguments come back as tool errors with every reason, as the REST API gives them
        let invalid = try await client.callTool(
          name: "generate_prompt",
          arguments: [
            "issueKey": "PS-1", "template": "implement", "vars": ["tests": "yes", "count": 0],
          ])
        #expect(invalid.isError == true)
        #expect(Self.text(invalid.content).contains("422"))
        #expect(Self.text(invalid.content).contains("vars/tests"))
        #expect(Self.text(invalid.content).contains("vars/count"))
        let badArguments = try await client.callTool(
          name: "generate_prompt", arguments: ["issueKey": 5, "surprise": true])
        #expect(badArguments.isError == true)
        #expect(Self.text(badArguments.content).contains("issueKey"))
        #expect(Self.text(badArguments.content).contains("template"))
        #expect(Self.text(badArguments.content).contains("surprise"))
        await #expect(throws: MCPError.self) {
          _ = try await client.callTool(name: "delete_everything")
        }

        let submitted = try await client.callTool(
          name: "submit_output", arguments: ["promptVersionId": .string(versionID), "text": "done"])
        #expect(submitted.isError != true)
        #expect(!Self.text(submitted.content).contains("already stored"))
        let again = try await client.callTool(
          name: "submit_output", arguments: ["promptVersionId": .string(versionID), "text": "done"])
        #expect(Self.text(again.content).contains("already stored"))
        let outputs = try await Output.query(on: ctx.app.db).all()
        #expect(outputs.count == 2 && outputs.allSatisfy { $0.ide == "claude-code" })
        // what the tools create is audited like its REST twin, as the developer
        let audited = try await AuditEvent.query(on: ctx.app.db)
          .filter(\.$user.$id == f.developerID).all().map(\.action)
        #expect(
          audited.contains("prompt.created") && audited.filter { $0 == "output.created" }.count == 2
        )
        let foreign = try await client.callTool(
          name: "submit_output",
          arguments: ["promptVersionId": .string(UUID().uuidString), "text": "x"])
        #expect(foreign.isError == true && Self.text(foreign.content).contains("404"))
        // the assistant reports how its output turned out
        let outputID = try #require(outputs.first?.id).uuidString.lowercased()
        let reviewed = try await client.callTool(
          name: "review_output",
          arguments: [
            "outputId": .string(outputID), "verdict": "accepted",
            "links": ["https://github.com/acme/shop/pull/42"],
          ])
        #expect(reviewed.isError != true)
        let review = try await OutputReview.query(on: ctx.app.db).first()
        #expect(
          review?.verdict == "accepted" && review?.links == ["https://github.com/acme/shop/pull/42"]
        )
        let badVerdict = try await client.callTool(
          name: "review_output", arguments: ["outputId": .string(outputID), "verdict": "meh"])
        #expect(badVerdict.isError == true && Self.text(badVerdict.content).contains("verdict"))

        // prompts
        let prompts = try await client.listPrompts().prompts
        let prompt = try #require(prompts.first { $0.name == "implement" })
        let arguments = prompt.arguments ?? []
        // the template's variables in its schema's order, between the issue and the tracker
        // and label
        #expect(arguments.first?.name == "issue" && arguments.last?.name == "templateLabel")
        #expect(
          Set(arguments.map(\.name)) == [
            "issue", "language", "tests", "count", "tracker", "templateLabel",
          ])
        #expect(arguments.first { $0.name == "issue" }?.required == true)
        #expect(arguments.first { $0.name == "tests" }?.required == true)
        #expect(arguments.first { $0.name == "language" }?.required == false)
        let rendered = try await client.getPrompt(
          name: "implement",
          arguments: ["issue": "PS-1", "tests": "true", "language": "go", "count": "5"])
        guard case .text(let text) = try #require(rendered.messages.first).content else {
          Testing.Issue.record("expected a text message")
          return
        }
        #expect(text.contains("Write tests in go, at least 5 of them."))
        #expect(rendered.description?.contains("prompt version") == true)
        #expect(rendered.description?.contains("(latest)") == true)
        await #expect(throws: MCPError.self) {
          _ = try await client.getPrompt(
            name: "implement",
            arguments: ["issue": "PS-1", "tests": "true", "templateLabel": "staging"])
        }
        await #expect(throws: MCPError.self) {
          _ = try await client.getPrompt(name: "implement", arguments: ["tests": "true"])
        }
        await #expect(throws: MCPError.self) {
          _ = try await client.getPrompt(
            name: "implement", arguments: ["issue": "PS-1", "tests": "maybe"])
        }

        // resources
        let resources = try await client.listResources().resources
        let uris = Set(resources.map(\.uri))
        #expect(uris.contains("promptsmith://issues/PS-1"))
        #expect(!uris.contains("promptsmith://issues/PS-2"))
        #expect(resources.filter { $0.name == "DUP-1" }.allSatisfy { $0.uri.contains("?tracker=") })
        let read = try await client.readResource(uri: "promptsmith://issues/PS-1")
        #expect(read.first?.text?.contains("# PS-1: Export invoices") == true)
        #expect(read.first?.mimeType == "text/markdown")
        await #expect(throws: MCPError.self) {
          _ = try await client.readResource(uri: "promptsmith://issues/NOPE-1")
        }
        await #expect(throws: MCPError.self) {
          _ = try await client.readResource(uri: "https://example.com/")
        }
        await client.disconnect()

        // a revoked token stops the assistant at the next request; a made-up one at connect
        let revoked = try await ctx.send(.GET, "/me/tokens", token: f.developerToken)
        let tokenID = try #require(
          try revoked.content.decode([PersonalAccessTokenResponse].self).first?.id)
        _ = try await ctx.send(.DELETE, "/me/tokens/\(tokenID)", token: f.developerToken)
        let stranger = MCP.Client(name: "claude-code", version: "2.0.14")
        await #expect(throws: (any Error).self) {
          _ = try await stranger.connect(transport: Self.transport(endpoint, token: f.pat))
        }
        let forger = MCP.Client(name: "claude-code", version: "2.0.14")
        await #expect(throws: (any Error).self) {
          _ = try await forger.connect(transport: Self.transport(endpoint, token: "ps_pat_made-up"))
        }

        // the assistant's generations (the tool's two, the prompt's one) are counted under its name
        let stats = try await ctx.send(.GET, "/stats/summary", token: try await ctx.adminToken())
        let summary = try stats.content.decode(StatsSummary.self)
        let assistant = summary.byIde.first { $0.ide == "claude-code" }
        #expect(assistant?.prompts == 3 && (assistant?.tokens ?? 0) > 0)
      }
    }
  }

  /// The SDK's HTTP client transport, sending `token` as a bearer token on every request.
  static func transport(_ endpoint: URL, token: String) -> HTTPClientTransport {
    HTTPClientTransport(
      endpoint: endpoint, streaming: false,
      requestModifier: { request in
        var request = request
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        return request
      })
  }

  static func text(_ content: [MCP.Tool.Content]) -> String {
    content.compactMap {
      if case .text(let text, _, _) = $0 { return text }
      return nil
    }.joined(separator: "\n")
  }
}

/// Serves `app` on a free loopback port for the duration of `body`.
func withRunningServer(_ app: Application, _ body: (URL) async throws -> Void) async throws {
  app.http.server.configuration.hostname = "127.0.0.1"
  app.http.server.configuration.port = 0
  try await app.server.start(address: nil)
  do {
    let port = try #require(app.http.server.shared.localAddress?.port)
    try await body(try #require(URL(string: "http://127.0.0.1:\(port)/mcp")))
  } catch {
    await app.server.shutdown()
    throw error
  }
  await app.server.shutdown()
}
