import Foundation
import MCP
import Testing
import Vapor

@testable import App

/// The HTTP side of `/mcp`: authentication, Origin, methods, headers and malformed messages.
@Suite struct MCPTransportTests {
  static let initialize = """
    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
    "capabilities":{},"clientInfo":{"name":"cursor","version":"1.7.2"}}}
    """
  static let listTools = #"{"jsonrpc":"2.0","id":"a","method":"tools/list"}"#
  static let accept: HTTPHeaders = ["Accept": "application/json, text/event-stream"]

  @Test(arguments: TestDatabase.all)
  func requestsAreAuthenticatedAndChecked(_ database: TestDatabase) async throws {
    let configure: (inout AppConfig) -> Void = {
      $0.publicBaseURL = "https://promptsmith.example"
      $0.mcpExtraOrigins = ["http://localhost:6274"]
    }
    try await withTestApp(database, configure: configure) { ctx in
      let admin = try await ctx.adminToken()
      // no token, or a wrong one: 401 with a challenge
      let anonymous = try await ctx.send(
        .POST, "/mcp", rawBody: Self.listTools, headers: Self.accept)
      #expect(anonymous.status == .unauthorized)
      #expect(anonymous.headers.first(name: .wwwAuthenticate)?.hasPrefix("Bearer") == true)
      let forged = try await ctx.send(
        .POST, "/mcp", token: "ps_pat_forged", rawBody: Self.listTools, headers: Self.accept)
      #expect(forged.status == .unauthorized)

      // initialize answers with a session id that names the client
      let initialized = try await ctx.send(
        .POST, "/mcp", token: admin, rawBody: Self.initialize, headers: Self.accept)
      #expect(initialized.status == .ok)
      #expect(initialized.headers.contentType?.subType == "json")
      let session = try #require(initialized.headers.first(name: "Mcp-Session-Id"))
      #expect(MCPClientTag(sessionID: session) == MCPClientTag(name: "cursor", version: "1.7.2"))
      let result = try #require(initialized.problemJSON?["result"] as? [String: Any])
      #expect((result["serverInfo"] as? [String: Any])?["name"] as? String == "promptsmith")

      // stateless: any request stands alone, with or without the session id
      let tools = try await ctx.send(
        .POST, "/mcp", token: admin, rawBody: Self.listTools, headers: Self.accept)
      #expect(tools.status == .ok)
      #expect(tools.headers.first(name: "Mcp-Session-Id") == nil)
      let listed = try #require(tools.problemJSON?["result"] as? [String: Any])
      #expect((listed["tools"] as? [Any])?.count == 6)
      #expect(tools.problemJSON?["id"] as? String == "a")

      // Origin: absent, the public one or a listed one pass; any other is refused
      for origin in [
        "https://promptsmith.example", "https://PROMPTSMITH.example/", "http://localhost:6274",
      ] {
        var headers = Self.accept
        headers.add(name: .origin, value: origin)
        let allowed = try await ctx.send(
          .POST, "/mcp", token: admin, rawBody: Self.listTools, headers: headers)
        #expect(allowed.status == .ok, "\(origin)")
      }
      var evil = Self.accept
      evil.add(name: .origin, value: "https://evil.example")
      let refused = try await ctx.send(
        .POST, "/mcp", token: admin, rawBody: Self.listTools, headers: evil)
      #expect(refused.status == .forbidden)
      #expect(refused.problem?.detail?.contains("evil.example") == true)

      // GET and DELETE: 405 (no SSE stream, no sessions to end)
      for method in [HTTPMethod.GET, .DELETE] {
        let response = try await ctx.send(method, "/mcp", token: admin, headers: Self.accept)
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers.first(name: .allow)?.contains("POST") == true)
      }

      // notifications are accepted without a body
      let notification = try await ctx.send(
        .POST, "/mcp", token: admin,
        rawBody: #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, headers: Self.accept)
      #expect(notification.status == .accepted)
      #expect(notification.body.readableBytes == 0)

      // malformed: not JSON-RPC, wrong Accept, wrong Content-Type, unsupported protocol version
      let garbage = try await ctx.send(
        .POST, "/mcp", token: admin, rawBody: "{not json", headers: Self.accept)
      #expect(garbage.status == .badRequest)
      #expect((garbage.problemJSON?["error"] as? [String: Any])?["code"] as? Int == -32700)
      for envelope in [
        #"{"id":1,"method":"tools/list"}"#, #"{"jsonrpc":"1.0","id":1,"method":"tools/list"}"#,
        #"{"jsonrpc":"2.0","id":1}"#, #"{"jsonrpc":"2.0","id":true,"method":"tools/list"}"#,
        #"{"jsonrpc":"2.0","method":""}"#, #"{"jsonrpc":"2.0","id":3,"method":"x","params":[1]}"#,
        #"{"jsonrpc":"2.0","id":null,"method":"x"}"#,
        #"{"jsonrpc":"2.0","id":9007199254740992,"method":"x"}"#,
      ] {
        let refused = try await ctx.send(
          .POST, "/mcp", token: admin, rawBody: envelope, headers: Self.accept)
        #expect(refused.status == .badRequest, "\(envelope)")
        #expect((refused.problemJSON?["error"] as? [String: Any])?["code"] as? Int == -32600)
      }
      let html = try await ctx.send(
        .POST, "/mcp", token: admin, rawBody: Self.listTools, headers: ["Accept": "text/html"])
      #expect(html.status == .notAcceptable)
      let noPreference = try await ctx.send(.POST, "/mcp", token: admin, rawBody: Self.listTools)
      #expect(noPreference.status == .ok)
      let anything = try await ctx.send(
        .POST, "/mcp", token: admin, rawBody: Self.listTools, headers: ["Accept": "*/*"])
      #expect(anything.status == .ok)
      var version = Self.accept
      version.add(name: "MCP-Protocol-Version", value: "1999-01-01")
      let unsupported = try await ctx.send(
        .POST, "/mcp", token: admin, rawBody: Self.listTools, headers: version)
      #expect(unsupported.status == .badRequest)
      let unknownMethod = try await ctx.send(
        .POST, "/mcp", token: admin, rawBody: #"{"jsonrpc":"2.0","id":2,"method":"nope/nope"}"#,
        headers: Self.accept)
      #expect((unknownMethod.problemJSON?["error"] as? [String: Any])?["code"] as? Int == -32601)
    }
  }

  @Test func theClientTagSurvivesTheRoundTripAndIsCleaned() throws {
    let tag = MCPClientTag(name: "claude-code", version: "2.0.14")
    #expect(MCPClientTag(sessionID: tag.sessionID) == tag)
    #expect(tag.sessionID.allSatisfy { $0.isASCII && $0 != " " })
    let hostile = MCPClientTag(
      name: "evil\r\nSet-Cookie: x\u{7}" + String(repeating: "a", count: 200), version: "1")
    #expect(!hostile.name.contains("\r") && !hostile.name.contains("\n"))
    #expect(hostile.name.count == MCPClientTag.maximumNameLength)
    #expect(MCPClientTag(sessionID: "ps1.!!!") == nil)
    #expect(MCPClientTag(sessionID: "other") == nil)
    #expect(MCPClientTag(sessionID: "ps1." + Data("\nversion".utf8).base64EncodedString()) == nil)
  }

  @Test func promptArgumentsBecomeTheirSchemaTypes() throws {
    let schema = """
      {"type":"object","properties":{"n":{"type":"integer"},"ok":{"type":"boolean"},
       "tags":{"type":"array"},"opts":{"type":"object"},"either":{"type":["number","string"]},
       "name":{"type":"string"}}}
      """
    let typed = MCPPrompts.typedVariables(
      [
        "n": "3", "ok": "TRUE", "tags": #"["a","b"]"#, "opts": #"{"x":1}"#, "either": "abc",
        "name": "42", "free": "7",
      ], schemaJSON: schema)
    #expect(typed["n"] == .number(3))
    #expect(typed["ok"] == .bool(true))
    #expect(typed["tags"] == .array([.string("a"), .string("b")]))
    #expect(typed["opts"]?["x"] == .number(1))
    #expect(typed["either"] == .string("abc"))
    #expect(typed["name"] == .string("42"))
    #expect(typed["free"] == .string("7"))
    // what does not parse stays a string, for the schema to report
    let wrong = MCPPrompts.typedVariables(["n": "three", "tags": "{}"], schemaJSON: schema)
    #expect(wrong["n"] == .string("three") && wrong["tags"] == .string("{}"))
  }

  @Test func resourceURIsRoundTrip() {
    let id = UUID()
    let uri = MCPResources.uri(key: "PS 1", trackerID: id)
    #expect(uri == "promptsmith://issues/PS%201?tracker=\(id.uuidString.lowercased())")
    #expect(MCPResources.parse(uri)?.key == "PS 1")
    #expect(MCPResources.parse(uri)?.tracker == id.uuidString.lowercased())
    #expect(MCPResources.parse("promptsmith://issues/PS-1")?.key == "PS-1")
    #expect(MCPResources.parse("promptsmith://issues/PS-1?tracker=abc")?.tracker == "abc")
    #expect(MCPResources.parse("promptsmith://other/PS-1") == nil)
    #expect(MCPResources.parse("promptsmith://issues/") == nil)
  }
}

/// `resources/list` pages through the caller's open assigned issues with opaque cursors.
@Suite struct MCPResourcePagingTests {
  @Test(arguments: TestDatabase.all)
  func resourcesArePaged(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await MCPFixture.make(ctx)
      let tracker = try #require(try await Tracker.query(on: ctx.app.db).first())
      for number in 1...MCPResources.pageSize {
        let issue = Issue(
          companyID: ctx.companyID, trackerID: try tracker.requireID(),
          externalKey: "BULK-\(number)",
          title: "Bulk \(number)")
        issue.$assignee.id = f.developerID
        try await issue.create(on: ctx.app.db)
      }
      func list(_ cursor: String?) async throws -> [String: Any] {
        let params = cursor.map { #","params":{"cursor":"\#($0)"}"# } ?? ""
        let response = try await ctx.send(
          .POST, "/mcp", token: f.pat,
          rawBody: #"{"jsonrpc":"2.0","id":1,"method":"resources/list"\#(params)}"#,
          headers: MCPTransportTests.accept)
        #expect(response.status == .ok)
        return try #require(response.problemJSON)
      }
      // the fixture's 3 open assigned issues and the 50 added: a full page, then the rest
      let first = try #require(try await list(nil)["result"] as? [String: Any])
      #expect((first["resources"] as? [Any])?.count == MCPResources.pageSize)
      let cursor = try #require(first["nextCursor"] as? String)
      let second = try #require(try await list(cursor)["result"] as? [String: Any])
      #expect((second["resources"] as? [Any])?.count == 3)
      #expect(second["nextCursor"] == nil)
      let invalid = try await list("not-a-cursor")
      #expect((invalid["error"] as? [String: Any])?["code"] as? Int == -32602)
    }
  }
}

/// `submit_output` takes the REST API's 5 MiB of content, beyond the API's 1 MiB JSON limit.
@Suite struct MCPLargeOutputTests {
  @Test(arguments: TestDatabase.all)
  func largeOutputsFitAndTooLargeOnesAreToolErrors(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await MCPFixture.make(ctx)
      func call(_ name: String, _ arguments: [String: Any]) async throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: [
          "jsonrpc": "2.0", "id": 7, "method": "tools/call",
          "params": ["name": name, "arguments": arguments],
        ])
        let response = try await ctx.send(
          .POST, "/mcp", token: f.pat, rawBody: String(decoding: body, as: UTF8.self),
          headers: MCPTransportTests.accept)
        #expect(response.status == .ok)
        return try #require(response.problemJSON?["result"] as? [String: Any])
      }
      let generated = try await call(
        "generate_prompt", ["issueKey": "PS-1", "template": "implement", "vars": ["tests": false]])
      let versionID = try #require(
        (generated["structuredContent"] as? [String: Any])?["promptVersionId"] as? String)
      let twoMiB = String(repeating: "line of generated code\n", count: 2 * 1024 * 1024 / 23)
      let stored = try await call("submit_output", ["promptVersionId": versionID, "text": twoMiB])
      #expect(stored["isError"] as? Bool == false)
      #expect((stored["structuredContent"] as? [String: Any])?["size"] as? Int == twoMiB.utf8.count)
      let sixMiB = String(repeating: "x", count: 6 * 1024 * 1024)
      let refused = try await call("submit_output", ["promptVersionId": versionID, "text": sixMiB])
      #expect(refused["isError"] as? Bool == true)
      #expect((refused["structuredContent"] as? [String: Any])?["status"] as? Int == 413)
      #expect(try await Output.query(on: ctx.app.db).count() == 1)
    }
  }
}

/// Another company's user reaches nothing of this one through MCP: not its issues, templates,
/// prompt versions or resources.
@Suite struct MCPTenantIsolationTests {
  @Test(arguments: TestDatabase.all)
  func anotherCompanySeesNothing(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await MCPFixture.make(ctx)
      let version = try await ctx.send(
        .POST, "/mcp", token: f.pat,
        rawBody: #"""
          {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"generate_prompt",
           "arguments":{"issueKey":"PS-1","template":"implement","vars":{"tests":true}}}}
          """#, headers: MCPTransportTests.accept)
      let result = try #require(version.problemJSON?["result"] as? [String: Any])
      let versionID = try #require(
        (result["structuredContent"] as? [String: Any])?["promptVersionId"] as? String)
      let (_, other) = try await CompanyService(
        database: ctx.app.db, hasher: ctx.app.passwordHasher
      ).create(name: "Globex", adminEmail: "boss@globex.com", adminPassword: "globex-password-1")
      let stranger = try await ctx.login(other.email, "globex-password-1").accessToken
      let outputsBefore = try await Output.query(on: ctx.app.db).count()

      func call(_ method: String, _ params: String) async throws -> [String: Any] {
        let response = try await ctx.send(
          .POST, "/mcp", token: stranger,
          rawBody: #"{"jsonrpc":"2.0","id":2,"method":"\#(method)","params":\#(params)}"#,
          headers: MCPTransportTests.accept)
        #expect(response.status == .ok)
        return try #require(response.problemJSON)
      }
      func toolStatus(_ name: String, _ arguments: String) async throws -> Int? {
        let answer = try await call(
          "tools/call", #"{"name":"\#(name)","arguments":\#(arguments)}"#)
        let result = answer["result"] as? [String: Any]
        #expect(result?["isError"] as? Bool == true, "\(name)")
        return (result?["structuredContent"] as? [String: Any])?["status"] as? Int
      }
      #expect(try await toolStatus("get_issue", #"{"key":"PS-1"}"#) == 404)
      #expect(
        try await toolStatus(
          "generate_prompt", #"{"issueKey":"PS-1","template":"implement","vars":{"tests":true}}"#)
          == 404)
      #expect(
        try await toolStatus("submit_output", #"{"promptVersionId":"\#(versionID)","text":"x"}"#)
          == 404)
      let templates = try await call("tools/call", #"{"name":"list_templates","arguments":{}}"#)
      #expect(!"\(templates)".contains("implement"))
      let prompts = try await call("prompts/list", "{}")
      #expect(((prompts["result"] as? [String: Any])?["prompts"] as? [Any])?.isEmpty == true)
      let resource = try await call("resources/read", #"{"uri":"promptsmith://issues/PS-1"}"#)
      #expect((resource["error"] as? [String: Any])?["code"] as? Int == -32002)
      #expect(try await Output.query(on: ctx.app.db).count() == outputsBefore)
    }
  }
}
