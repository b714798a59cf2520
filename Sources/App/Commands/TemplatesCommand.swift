import AsyncHTTPClient
import Foundation
import JSONCore
import NIOCore
import NIOHTTP1

/// `promptsmith templates pull DIR` and `templates push DIR [--label L] [--dry-run]`: a
/// company's templates as files, against a running server, so that a team keeps them in git.
enum TemplatesCommand: ToolCommand {
  static let summary = "Pull a company's templates into a folder, or push a folder back"
  static let spec = ToolArguments.Spec(options: ["url", "label"], flags: ["dry-run"])
  static let usage = """
    usage: promptsmith templates pull DIR [--url URL]
           promptsmith templates push DIR [--label LABEL] [--dry-run] [--url URL]
      pull writes each live template as DIR/NAME.hbs and, when it has them, its schema as
      DIR/NAME.schema.json and its token budget as DIR/NAME.meta.json ({"maxTokens": N});
      characters outside [A-Za-z0-9._-] in NAME are %-encoded.
      push sends every NAME.hbs of DIR in one request, applied in one transaction: linted
      first, a new version only where the content changed, all or nothing; --label moves that
      label to each template's resulting version, --dry-run prints what would change and the
      diffs without writing. The server is --url or PROMPTSMITH_URL; PROMPTSMITH_TOKEN holds a
      personal access token (a lead's or an admin's to push).
    """

  static func run(_ arguments: ToolArguments, io: ToolIO) async throws -> Int32 {
    guard arguments.positional.count == 2, ["pull", "push"].contains(arguments.positional[0])
    else {
      throw ToolFailure("pull DIR or push DIR is required", status: 2, showUsage: true)
    }
    let environment = io.environment()
    guard let base = (arguments.options["url"] ?? environment["PROMPTSMITH_URL"]).map(Self.trimmed),
      !base.isEmpty
    else {
      throw ToolFailure("the server is unknown: pass --url or set PROMPTSMITH_URL", status: 2)
    }
    guard let token = environment["PROMPTSMITH_TOKEN"], !token.isEmpty else {
      throw ToolFailure("PROMPTSMITH_TOKEN is not set: create a personal access token", status: 2)
    }
    let folder = URL(fileURLWithPath: arguments.positional[1])
    let server = Server(base: base, token: token)
    do {
      let status = try await run(arguments, on: server, folder: folder, io: io)
      try? await server.client.shutdown()
      return status
    } catch {
      try? await server.client.shutdown()
      throw error
    }
  }

  private static func run(
    _ arguments: ToolArguments, on server: Server, folder: URL, io: ToolIO
  ) async throws -> Int32 {
    if arguments.positional[0] == "pull" {
      let templates = try await server.templates()
      try TemplateFiles.write(templates, to: folder)
      io.out("pulled \(templates.count) template(s) into \(folder.path)\n")
      return 0
    }
    let templates = try TemplateFiles.read(from: folder)
    guard !templates.isEmpty else { throw ToolFailure("\(folder.path) has no NAME.hbs file") }
    let dryRun = arguments.flags.contains("dry-run")
    let answer = try await server.push(templates, label: arguments.options["label"], dryRun: dryRun)
    io.out(Self.report(answer, dryRun: dryRun))
    return 0
  }

  private static func trimmed(_ url: String) -> String {
    var url = url.trimmingCharacters(in: .whitespaces)
    while url.hasSuffix("/") { url.removeLast() }
    return url
  }

  /// One line per template, and each diff in a dry run.
  static func report(_ answer: JSONValue, dryRun: Bool) -> String {
    var lines: [String] = []
    let label = answer["label"]?.stringValue
    for entry in answer["templates"]?.arrayValue ?? [] {
      let name = entry["name"]?.stringValue ?? "?"
      let action = entry["action"]?.stringValue ?? "?"
      let version = entry["version"]?.intValue ?? 0
      let verb = dryRun ? "would be \(action)" : action
      let labelled = label.map { ", \($0) → v\(version)" } ?? ""
      lines.append("\(name): \(verb) (v\(version)\(labelled))")
      if dryRun, let diff = entry["diff"]?.stringValue, !diff.isEmpty {
        lines.append(diff.hasSuffix("\n") ? String(diff.dropLast()) : diff)
      }
    }
    let changed = (answer["templates"]?.arrayValue ?? []).filter {
      $0["action"]?.stringValue != "unchanged"
    }.count
    lines.append(
      dryRun
        ? "dry run: \(changed) template(s) would change, nothing was written"
        : "\(changed) template(s) changed")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The server's API, with the token.
  struct Server {
    let base: String
    let token: String
    let client = HTTPClient(eventLoopGroupProvider: .singleton)

    /// Every live template, page after page.
    func templates() async throws -> [TemplateFiles.Template] {
      var templates: [TemplateFiles.Template] = []
      var next: String? = base + "/prompt-templates?limit=200"
      while let url = next {
        let (status, headers, body) = try await send(.GET, url, body: nil)
        guard status == 200, let page = body.arrayValue else {
          throw Self.failure(status, body, doing: "listing templates")
        }
        for template in page {
          guard let name = template["name"]?.stringValue,
            let bodyMd = template["bodyMd"]?.stringValue
          else { throw ToolFailure("the server answered a template without name or bodyMd") }
          templates.append(
            TemplateFiles.Template(
              name: name, body: bodyMd, schema: template["lintJson"]?.nonNull,
              maxTokens: template["maxTokens"]?.intValue))
        }
        next = Self.nextPage(headers.first(name: "Link")).map { $0.hasPrefix("/") ? base + $0 : $0 }
      }
      return templates
    }

    func push(_ templates: [TemplateFiles.Template], label: String?, dryRun: Bool) async throws
      -> JSONValue
    {
      var request: JSONObject = [
        "templates": .array(
          templates.map {
            .object([
              "name": .string($0.name), "bodyMd": .string($0.body), "lintJson": $0.schema ?? .null,
              "maxTokens": $0.maxTokens.map { .number(Double($0)) } ?? .null,
            ])
          }),
        "dryRun": .bool(dryRun),
      ]
      if let label { request["label"] = .string(label) }
      let (status, _, body) = try await send(
        .POST, base + "/prompt-templates/import", body: JSONValue.object(request).compactJSON)
      guard status == 200 else { throw Self.failure(status, body, doing: "pushing templates") }
      return body
    }

    private func send(_ method: HTTPMethod, _ url: String, body: String?) async throws
      -> (Int, HTTPHeaders, JSONValue)
    {
      var request = HTTPClientRequest(url: url)
      request.method = method
      request.headers.add(name: "Authorization", value: "Bearer \(token)")
      request.headers.add(name: "Accept", value: "application/json")
      request.headers.add(name: "User-Agent", value: "promptsmith-templates")
      if let body {
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
      }
      let response: HTTPClientResponse
      do {
        response = try await client.execute(request, timeout: .seconds(60))
      } catch {
        throw ToolFailure("cannot reach \(url): \(error)")
      }
      let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
      let json = (try? JSONValue(parsing: Data(bytes.readableBytesView))) ?? .null
      return (Int(response.status.code), response.headers, json)
    }

    /// The problem's detail and each field error, as the server explained the refusal.
    static func failure(_ status: Int, _ problem: JSONValue, doing what: String) -> ToolFailure {
      var lines = ["\(what) failed: \(status) \(problem["title"]?.stringValue ?? "")"]
      if let detail = problem["detail"]?.stringValue { lines.append(detail) }
      for error in problem["errors"]?.arrayValue ?? [] {
        lines.append(
          "  \(error["field"]?.stringValue ?? ""): \(error["reason"]?.stringValue ?? "")")
      }
      return ToolFailure(lines.joined(separator: "\n"))
    }

    /// The URL of `<URL>; rel="next"`.
    static func nextPage(_ link: String?) -> String? {
      guard let link, link.contains("rel=\"next\""), let open = link.firstIndex(of: "<"),
        let close = link.firstIndex(of: ">"), open < close
      else { return nil }
      return String(link[link.index(after: open)..<close])
    }
  }
}
