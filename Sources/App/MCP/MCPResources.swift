import Fluent
import Foundation
import MCP

/// The caller's open assigned issues as `promptsmith://issues/{key}` Markdown resources; any
/// issue of the company can be read by its key.
struct MCPResources: Sendable {
  static let pageSize = 50
  static let scheme = "promptsmith"
  static let uriTemplate = "promptsmith://issues/{key}"

  let context: MCPContext

  func list(_ params: ListResources.Parameters) async throws -> ListResources.Result {
    let filter = IssueFilter(
      companyID: context.principal.companyID, statusCategories: try IssueFilter.categories("open"),
      assigneeID: context.principal.userID)
    let page = try await filter.query(on: context.database)
      .with(\.$tracker)
      .page(PageRequest(limit: Self.pageSize, after: try Self.after(params.cursor)))
    // A key that two trackers share on this page names its tracker, so both stay readable.
    var keyCounts: [String: Int] = [:]
    for issue in page.items { keyCounts[issue.externalKey, default: 0] += 1 }
    let resources = page.items.map { issue in
      Resource(
        name: issue.externalKey,
        uri: Self.uri(
          key: issue.externalKey,
          trackerID: keyCounts[issue.externalKey, default: 0] > 1 ? issue.$tracker.id : nil),
        title: "\(issue.externalKey): \(issue.title)",
        description: "\(issue.status) · \(issue.tracker.name)", mimeType: "text/markdown")
    }
    return ListResources.Result(resources: resources, nextCursor: page.nextCursor)
  }

  static var templates: [Resource.Template] {
    [
      Resource.Template(
        uriTemplate: uriTemplate, name: "issue", title: "Issue by key",
        description: "Any issue of your company as Markdown, by its tracker key (PS-42).",
        mimeType: "text/markdown")
    ]
  }

  func read(_ params: ReadResource.Parameters) async throws -> ReadResource.Result {
    guard let (key, tracker) = Self.parse(params.uri) else {
      throw MCPError.invalidParams(
        "Unknown resource \(params.uri): expected promptsmith://issues/{key}")
    }
    do {
      let issue = try await context.issues.issue(key: key, tracker: tracker)
      return ReadResource.Result(contents: [
        .text(
          issue.markdown(trackerName: issue.tracker.name), uri: params.uri,
          mimeType: "text/markdown")
      ])
    } catch let error as AppError where error.status == .notFound {
      // The spec's code for a resource that does not exist.
      throw MCPError.serverError(code: -32002, message: "Resource not found: \(params.uri)")
    } catch let error as AppError {
      throw MCPError.invalidParams(MCPPrompts.message(error))
    }
  }

  static func uri(key: String, trackerID: UUID?) -> String {
    let encoded =
      key.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? key
    let query = trackerID.map { "?tracker=\($0.lowercasedText)" } ?? ""
    return "\(scheme)://issues/\(encoded)\(query)"
  }

  /// The key and optional tracker of `promptsmith://issues/{key}[?tracker=…]`.
  static func parse(_ uri: String) -> (key: String, tracker: String?)? {
    guard let components = URLComponents(string: uri), components.scheme == scheme,
      components.host == "issues"
    else { return nil }
    let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : ""
    guard !path.isEmpty, !path.contains("/") else { return nil }
    let tracker = components.queryItems?.first { $0.name == "tracker" }?.value
    return (path, tracker)
  }

  /// The id a list cursor stands for; MCP cursors are the REST API's cursors.
  static func after(_ cursor: String?) throws -> UUID? {
    guard let cursor else { return nil }
    guard let id = PageRequest.decode(cursor: cursor) else {
      throw MCPError.invalidParams("Invalid cursor: not one this server issued")
    }
    return id
  }
}
