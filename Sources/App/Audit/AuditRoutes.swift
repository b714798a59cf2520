import Fluent
import Vapor

/// `GET /audit-events` (admin): the company's audit trail, oldest first, filtered and paginated.
struct AuditRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    routes.grouped("audit-events").grouped(RequireRole(.admin)).get(use: list)
  }

  func list(req: Request) async throws -> Response {
    let principal = try req.principal
    let filter = try AuditEventFilter(from: req)
    let page = try await filter.apply(
      to: AuditEvent.query(on: req.db).filter(\.$company.$id == principal.companyID)
    ).page(PageRequest(from: req))
    return try page.map(AuditEventResponse.init).response(for: req)
  }
}

/// The query parameters of `GET /audit-events`, all checked before the query runs.
struct AuditEventFilter {
  var action: String?
  var entity: AuditEntity?
  var entityID: UUID?
  var actorID: UUID?
  var from: Date?
  var to: Date?

  init(from req: Request) throws {
    var errors: [ProblemDetails.FieldError] = []
    action = req.query[String.self, at: "action"]
    if let action, !(1...100).contains(action.count) {
      errors.append(.init(field: "action", reason: "must be 1 to 100 characters"))
    }
    if let raw = req.query[String.self, at: "entity"] {
      entity = AuditEntity(rawValue: raw)
      if entity == nil {
        let names = AuditEntity.allCases.map(\.rawValue).joined(separator: ", ")
        errors.append(.init(field: "entity", reason: "must be one of \(names)"))
      }
    }
    for (name, keyPath) in [("entityId", \Self.entityID), ("actorId", \Self.actorID)] {
      guard let raw = req.query[String.self, at: name] else { continue }
      if let id = UUID(text: raw) {
        self[keyPath: keyPath] = id
      } else {
        errors.append(.init(field: name, reason: "must be a UUID"))
      }
    }
    for (name, keyPath) in [("from", \Self.from), ("to", \Self.to)] {
      guard let raw = req.query[String.self, at: name] else { continue }
      if let date = RFC3339.date(from: raw) {
        self[keyPath: keyPath] = date
      } else {
        errors.append(
          .init(field: name, reason: RFC3339.reason))
      }
    }
    if let from, let to, from > to {
      errors.append(.init(field: "to", reason: "must not be before from"))
    }
    guard errors.isEmpty else { throw AppError.validation(errors) }
  }

  func apply(to query: QueryBuilder<AuditEvent>) -> QueryBuilder<AuditEvent> {
    var query = query
    if let action { query = query.filter(\.$action == action) }
    if let entity { query = query.filter(\.$entityType == entity.rawValue) }
    if let entityID { query = query.filter(\.$entityID == entityID) }
    if let actorID { query = query.filter(\.$user.$id == actorID) }
    if let from { query = query.filter(\.$createdAt >= from) }
    if let to { query = query.filter(\.$createdAt < to) }
    return query
  }
}

/// One audit row as admins see it: who, what, which row, which fields (names only), from where.
struct AuditEventResponse: Content {
  let id: String
  let action: String
  let actorId: String?
  let entity: String?
  let entityId: String?
  let changedFields: [String]
  let attemptedEmail: String?
  let ip: String?
  let userAgent: String?
  let requestId: String?
  let details: [String: String]?
  let createdAt: Date?

  init(_ event: AuditEvent) throws {
    id = try event.requireID().lowercasedText
    action = event.action
    actorId = event.$user.id?.lowercasedText
    entity = event.entityType
    entityId = event.entityID?.lowercasedText
    changedFields =
      try event.changedFieldsJSON.map {
        try JSONDecoder().decode([String].self, from: Data($0.utf8))
      } ?? []
    attemptedEmail = event.attemptedEmail
    ip = event.ip
    userAgent = event.userAgent
    requestId = event.requestID
    details = try event.detailsJSON.map {
      try JSONDecoder().decode([String: String].self, from: Data($0.utf8))
    }
    createdAt = event.createdAt
  }
}
