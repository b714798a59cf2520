import Fluent
import SQLKit
import Templating
import Vapor

/// `GET /issues?status=&assignee=me&tracker=&q=&deleted=` and `GET /issues/:id` (developer and
/// above; the issues deleted at their tracker, `deleted=true`, for leads and admins).
struct IssueRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    let developers = routes.grouped("issues").grouped(RequireRole(.developer))
    developers.get(use: list)
    developers.get(":issueID", use: show)
  }

  func list(req: Request) async throws -> Response {
    let principal = try req.principal
    let database = req.db
    let sql = database.sql
    var filter = IssueFilter(companyID: principal.companyID)
    if let status = req.query[String.self, at: "status"] {
      filter.statusCategories = try IssueFilter.categories(status)
    }
    switch req.query[String.self, at: "assignee"] {
    case nil: break
    case "me": filter.assigneeID = principal.userID
    case let other?:
      guard let id = UUID(text: other) else {
        throw AppError.validation(field: "assignee", reason: "must be me or a user id")
      }
      filter.assigneeID = id
    }
    if let tracker = req.query[String.self, at: "tracker"] {
      guard let id = UUID(text: tracker) else {
        throw AppError.validation(field: "tracker", reason: "must be a tracker id")
      }
      filter.trackerID = id
    }
    filter.text = req.query[String.self, at: "q"]
    filter.deleted = try Self.deletedOnly(req, principal: principal)
    var query = sql.select().column(IssueListRow.columns).from(Issue.schema)
    for condition in filter.conditions(on: sql) { query = query.where(condition) }
    // Keyset pagination in id order, as `QueryBuilder.page` does for the other lists.
    let page = try PageRequest(from: req)
    if let after = page.after {
      query = query.where("id", .greaterThan, SQLBind(after))
    }
    var rows = try await database.rows(of: query.orderBy("id").limit(page.limit + 1).query)
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
    // The same bytes JSONEncoder writes, a few times faster (`JSONByteWriter`). A page of long
    // descriptions is written on the thread pool (`OffLoop`) when a core has no event loop:
    // there it gave the list about a tenth more requests/s, and with a loop on every core the
    // hop cost 6 % (docs/performance.md, round 16).
    let allocator = req.byteBufferAllocator
    let text = items.reduce(0) { $0 + $1.descriptionMd.utf8.count + $1.criteriaMd.utf8.count }
    let offLoop = req.application.eventLoopsLeaveACore && text >= OffLoop.threshold
    let body = try await OffLoop.run(if: offLoop) {
      IssueResponse.listJSON(items, allocator: allocator)
    }
    response.body = .init(buffer: body)
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

  /// `deleted=true` lists only the issues deleted at their tracker, for leads and admins: a
  /// developer works from the live ones.
  static func deletedOnly(_ req: Request, principal: Principal) throws -> Bool {
    switch req.query[String.self, at: "deleted"] {
    case nil, "false": return false
    case "true":
      guard principal.role.includes(.lead) else {
        throw AppError.forbidden("Deleted issues are listed for leads and admins.")
      }
      return true
    default: throw AppError.validation(field: "deleted", reason: "must be true or false")
    }
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
