import Fluent
import SQLKit
import Templating
import Vapor

struct IssueAssignee: Content {
  let name: String?
  let email: String?
  let userId: String?
}

struct IssueResponse: Content {
  let id: String
  let trackerId: String
  /// The tracker's name, which developers cannot read from `GET /trackers` (admins only).
  var trackerName: String?
  let extKey: String
  let title: String
  let status: String
  let statusCategory: String
  let priority: String?
  let type: String?
  let labels: [String]
  let assignee: IssueAssignee?
  let descriptionMd: String
  let criteriaMd: String
  let url: String?
  let updatedAt: Date?
  /// The tracker's raw issue, for leads and admins on `GET /issues/:id`.
  let payload: JSONValue?

  init(_ issue: Issue, payload: JSONValue? = nil) throws {
    id = try issue.requireID().uuidString.lowercased()
    trackerId = issue.$tracker.id.uuidString.lowercased()
    extKey = issue.externalKey
    title = issue.title
    status = issue.status
    statusCategory = issue.statusCategory
    priority = issue.priority
    type = issue.issueType
    labels = issue.labels
    assignee =
      issue.assigneeName == nil && issue.assigneeEmail == nil && issue.$assignee.id == nil
      ? nil
      : IssueAssignee(
        name: issue.assigneeName, email: issue.assigneeEmail,
        userId: issue.$assignee.id?.uuidString.lowercased())
    descriptionMd = issue.descriptionMarkdown
    criteriaMd = issue.criteriaMarkdown
    url = issue.url
    updatedAt = issue.externalUpdatedAt ?? issue.updatedAt ?? issue.createdAt
    self.payload = payload
  }
}

/// `GET /issues?status=&assignee=me&tracker=&q=` and `GET /issues/:id` (developer and above).
struct IssueRoutes: RouteCollection {
  static let statuses: [String: [String]] = [
    "open": ["todo", "in_progress"], "todo": ["todo"], "in_progress": ["in_progress"],
    "done": ["done"],
  ]

  func boot(routes: any RoutesBuilder) throws {
    let developers = routes.grouped("issues").grouped(RequireRole(.developer))
    developers.get(use: list)
    developers.get(":issueID", use: show)
  }

  func list(req: Request) async throws -> Response {
    let principal = try req.principal
    let sql = req.db.sql
    var query = sql.select().column(IssueListRow.columns).from(Issue.schema)
      .where("company_id", .equal, SQLBind(principal.companyID))
    if let status = req.query[String.self, at: "status"] {
      guard let categories = Self.statuses[status] else {
        throw AppError.validation(
          field: "status", reason: "must be open, todo, in_progress or done")
      }
      query = query.where(
        SQLColumn("status_category"), SQLBinaryOperator.in,
        SQLGroupExpression(categories.map { SQLBind($0) }))
    }
    switch req.query[String.self, at: "assignee"] {
    case nil: break
    case "me": query = query.where("assignee_id", .equal, SQLBind(principal.userID))
    case let other?:
      guard let id = UUID(uuidString: other) else {
        throw AppError.validation(field: "assignee", reason: "must be me or a user id")
      }
      query = query.where("assignee_id", .equal, SQLBind(id))
    }
    if let tracker = req.query[String.self, at: "tracker"] {
      guard let id = UUID(uuidString: tracker) else {
        throw AppError.validation(field: "tracker", reason: "must be a tracker id")
      }
      query = query.where("tracker_id", .equal, SQLBind(id))
    }
    if let text = req.query[String.self, at: "q"], !text.isEmpty {
      query = query.where(IssueSearch.condition(text, on: sql))
    }
    // Keyset pagination in id order, as `QueryBuilder.page` does for the other lists.
    let page = try PageRequest(from: req)
    if let after = page.after {
      query = query.where("id", .greaterThan, SQLBind(after))
    }
    var rows = try await query.orderBy("id").limit(page.limit + 1).all()
      .map { try IssueListRow(row: $0) }
    let hasMore = rows.count > page.limit
    if hasMore { rows.removeLast() }
    let decoder = JSONDecoder()
    let names = try await Self.trackerNames(Set(rows.map(\.trackerID)), on: sql)
    let items = rows.map {
      var item = IssueResponse($0, labelsDecoder: decoder)
      item.trackerName = names[$0.trackerID]
      return item
    }
    let response = try Page(
      items: [IssueResponse](),
      nextCursor: hasMore ? rows.last.map { PageRequest.encode(cursor: $0.id) } : nil
    ).response(for: req)
    // The same bytes JSONEncoder writes, a few times faster (`JSONByteWriter`).
    response.body = .init(
      buffer: IssueResponse.listJSON(items, allocator: req.byteBufferAllocator))
    return response
  }

  func show(req: Request) async throws -> IssueResponse {
    let principal = try req.principal
    guard
      let issue = try await Issue.query(on: req.db)
        .filter(\.$id == req.idParameter("issueID", "Issue"))
        .filter(\.$company.$id == principal.companyID).first()
    else { throw AppError.notFound("Issue") }
    let payload = principal.role.includes(.lead) ? try? JSONValue(parsing: issue.payloadJSON) : nil
    var response = try IssueResponse(issue, payload: payload)
    response.trackerName = try await Self.trackerNames(
      [issue.$tracker.id], on: req.db.sql)[issue.$tracker.id]
    return response
  }

  /// The names of a page's trackers (usually one or two), by primary key.
  static func trackerNames(_ ids: Set<UUID>, on sql: any SQLDatabase) async throws -> [UUID: String]
  {
    guard !ids.isEmpty else { return [:] }
    var names: [UUID: String] = [:]
    for row in try await sql.select().column("id").column("name").from(Tracker.schema)
      .where(SQLColumn("id"), SQLBinaryOperator.in, SQLGroupExpression(ids.map { SQLBind($0) }))
      .all()
    {
      names[try row.decode(column: "id", as: UUID.self)] = try row.decode(
        column: "name", as: String.self)
    }
    return names
  }
}
