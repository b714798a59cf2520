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
    // A client that states no preference (no `Accept`, or `*/*`) takes the JSON answer it would
    // get anyway; one that asks for something else only is refused (406) by the transport.
    let accepted = req.headers[.accept].flatMap { $0.split(separator: ",") }
      .map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() }
    if accepted.isEmpty || accepted.contains("*/*") || accepted.contains("application/*") {
      headers["Accept"] = "application/json"
    }
    let body = req.body.data.map { Data(buffer: $0) }
    let (answer, initialized) =
      if let refusal = body.flatMap(Self.envelopeError) {
        (MCP.HTTPResponse.error(statusCode: 400, refusal), MCPClientTag?.none)
      } else {
        await req.onItsEventLoop {
          await MCPEndpoint(context: context).respond(
            to: MCP.HTTPRequest(method: "POST", headers: headers, body: body, path: "/mcp"))
        }
      }
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

  /// A JSON object that is not a JSON-RPC 2.0 request or notification (`jsonrpc: "2.0"`, a
  /// `method`, an `id` that is a string or an integer, `params` an object): 400 with -32600, instead of the
  /// SDK's 200 or 202 for some of them. What is not JSON at all is left to the transport (-32700).
  static func envelopeError(_ body: Data) -> MCPError? {
    guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
      return nil
    }
    if object["id"] is NSNull {
      return .invalidRequest("id must be a string or an integer")
    }
    if let params = object["params"], !(params is [String: Any]) {
      return .invalidRequest("params must be an object")
    }
    guard let envelope = try? JSONDecoder().decode(Envelope.self, from: body) else {
      return .invalidRequest(
        "jsonrpc and method must be strings, id a string or an integer")
    }
    if case .number(let number)? = envelope.id, abs(number) > Self.largestExactInteger {
      // Beyond this a client in JavaScript could not read the id back exactly.
      return .invalidRequest("id must be a string or an integer within ±(2^53 − 1)")
    }
    guard envelope.jsonrpc == "2.0" else {
      return .invalidRequest("jsonrpc must be \"2.0\"")
    }
    guard let method = envelope.method, !method.isEmpty else {
      return .invalidRequest("method must be a non-empty string")
    }
    return nil
  }

  static let largestExactInteger = 9_007_199_254_740_991

  private struct Envelope: Decodable {
    enum RequestID: Decodable {
      case number(Int)
      case string(String)

      init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
          self = .number(number)
        } else {
          self = .string(try container.decode(String.self))
        }
      }
    }

    let jsonrpc: String?
    let method: String?
    let id: RequestID?
  }
}
