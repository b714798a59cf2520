import Foundation
import MCP
import Vapor

/// `POST /mcp`: the Model Context Protocol over Streamable HTTP, stateless (JSON answers, no
/// SSE stream), for AI assistants. Authenticated like the REST API, with an access token or a
/// personal access token; `GET` and `DELETE` answer 405, as the spec allows.
struct MCPRoutes: RouteCollection {
  /// Room for `submit_output`'s 5 MiB of text once JSON-escaped.
  static let maximumBodySize: ByteCount = "12mb"

  func boot(routes: any RoutesBuilder) throws {
    routes.grouped(MCPOriginCheck()).grouped(RequireRole(.developer))
      .on(.POST, "mcp", body: .collect(maxSize: Self.maximumBodySize), use: handle)
  }

  func handle(req: Vapor.Request) async throws -> Vapor.Response {
    let tag = req.headers.first(name: HTTPHeaderName.sessionID).flatMap(MCPClientTag.init)
    if let tag {
      req.logger[metadataKey: "mcpClient"] = .string("\(tag.name)/\(tag.version)")
    }
    let context = try MCPContext(req, principal: try req.principal, tag: tag)
    var headers: [String: String] = [:]
    for (name, value) in req.headers {
      headers[name] = headers[name].map { "\($0), \(value)" } ?? value
    }
    let body = req.body.data.map { Data(buffer: $0) }
    let (answer, initialized) = await MCPEndpoint(context: context).respond(
      to: MCP.HTTPRequest(method: "POST", headers: headers, body: body, path: "/mcp"))
    let response = Vapor.Response(status: .init(statusCode: answer.statusCode))
    for (name, value) in answer.headers {
      response.headers.replaceOrAdd(name: name, value: value)
    }
    if let initialized, answer.statusCode == 200 {
      response.headers.replaceOrAdd(name: HTTPHeaderName.sessionID, value: initialized.sessionID)
      req.logger.info(
        "MCP client connected",
        metadata: ["mcpClient": .string("\(initialized.name)/\(initialized.version)")])
    }
    if let data = answer.bodyData {
      response.body = .init(data: data)
    }
    return response
  }
}
