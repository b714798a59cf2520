import Foundation
import Logging
import MCP
import NIOConcurrencyHelpers

/// One MCP request, answered by a server built for it.
///
/// The endpoint is stateless so that any API process can answer any request: each HTTP
/// request gets its own `Server` and `StatelessHTTPServerTransport`, whose handlers see only
/// the caller's principal. A shared server would also mix up callers that reuse the same
/// JSON-RPC ids, which every client does.
struct MCPEndpoint: Sendable {
  static let serverName = "promptsmith"
  static let serverVersion = "1.0.0"
  static let instructions = """
    Promptsmith holds your team's issues (synced from Jira and Teamwork) and prompt templates. \
    Find an issue with list_my_issues or get_issue, render it with a team template with \
    generate_prompt (or through the prompts), follow the prompt, and send your result back \
    with submit_output and the promptVersionId you were given.
    """

  let context: MCPContext

  /// The HTTP answer, and the client's tag when the request was a successful `initialize`.
  func respond(to request: MCP.HTTPRequest) async -> (MCP.HTTPResponse, MCPClientTag?) {
    let server = MCP.Server(
      name: Self.serverName, version: Self.serverVersion, instructions: Self.instructions,
      capabilities: .init(
        prompts: .init(listChanged: false), resources: .init(subscribe: false, listChanged: false),
        tools: .init(listChanged: false)),
      configuration: .default)
    await register(on: server)
    let transport = StatelessHTTPServerTransport(
      validationPipeline: StandardValidationPipeline(validators: [
        AcceptHeaderValidator(mode: .jsonOnly), ContentTypeValidator(), ProtocolVersionValidator(),
      ]),
      logger: context.logger)
    let initialized = NIOLockedValueBox<MCPClientTag?>(nil)
    do {
      try await server.start(transport: transport) { client, _ in
        initialized.withLockedValue {
          $0 = MCPClientTag(name: client.name, version: client.version)
        }
      }
    } catch {
      context.logger.error("MCP server failed to start", metadata: ["error": "\(error)"])
      return (.error(statusCode: 500, .internalError("The MCP server failed to start")), nil)
    }
    let response = await transport.handleRequest(request)
    await server.stop()
    return (response, initialized.withLockedValue { $0 })
  }

  private func register(on server: MCP.Server) async {
    let tools = MCPTools(context: context)
    let prompts = MCPPrompts(context: context)
    let resources = MCPResources(context: context)
    await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: MCPTools.tools) }
    await server.withMethodHandler(CallTool.self) { try await tools.call($0) }
    await server.withMethodHandler(ListPrompts.self) { try await prompts.list($0) }
    await server.withMethodHandler(GetPrompt.self) { try await prompts.get($0) }
    await server.withMethodHandler(ListResources.self) { try await resources.list($0) }
    await server.withMethodHandler(ListResourceTemplates.self) { _ in
      ListResourceTemplates.Result(templates: MCPResources.templates)
    }
    await server.withMethodHandler(ReadResource.self) { try await resources.read($0) }
  }
}
