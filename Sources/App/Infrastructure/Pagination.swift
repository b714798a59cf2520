import Fluent
import Vapor

/// Keyset pagination on time-ordered ids: `limit` (default 50, at most 200) and a
/// `cursor` (the id the page starts after); the next page's URL goes in `Link: <…>; rel="next"`.
struct PageRequest: Sendable {
  static let defaultLimit = 50
  static let maximumLimit = 200

  let limit: Int
  let after: UUID?

  init(limit: Int = PageRequest.defaultLimit, after: UUID? = nil) {
    self.limit = limit
    self.after = after
  }

  init(from req: Request) throws {
    var limit = Self.defaultLimit
    if let raw = req.query[String.self, at: "limit"] {
      guard let value = Int(raw) else {
        throw AppError.badRequest("must be an integer", field: "limit")
      }
      guard (1...Self.maximumLimit).contains(value) else {
        throw AppError.validation(
          field: "limit", reason: "must be between 1 and \(Self.maximumLimit)")
      }
      limit = value
    }
    var after: UUID?
    if let cursor = req.query[String.self, at: "cursor"] {
      guard let id = Self.decode(cursor: cursor) else {
        throw AppError.validation(field: "cursor", reason: "is not a cursor this API issued")
      }
      after = id
    }
    self.init(limit: limit, after: after)
  }

  /// A cursor is the id after which the next page starts: ids are time-ordered UUIDv7, so any
  /// id is a valid position, and a client cannot make one that reads another company's rows.
  static func encode(cursor id: UUID) -> String {
    id.lowercasedText
  }

  static func decode(cursor: String) -> UUID? {
    UUID(text: cursor)
  }
}

/// One page of results and whether another follows.
struct Page<Item: Sendable>: Sendable {
  let items: [Item]
  let nextCursor: String?
}

extension QueryBuilder where Model.IDValue == UUID {
  /// Fetches one page ordered by id; ids are UUIDv7, so that is creation order.
  func page(_ request: PageRequest) async throws -> Page<Model> {
    var query = self.sort(\._$id, .ascending).limit(request.limit + 1)
    if let after = request.after {
      query = query.filter(
        .path(Model.path(for: \._$id), schema: Model.schemaOrAlias), .greaterThan, .bind(after))
    }
    var rows = try await query.all()
    let hasMore = rows.count > request.limit
    if hasMore { rows.removeLast() }
    let next = hasMore ? rows.last?.id.map(PageRequest.encode(cursor:)) : nil
    return Page(items: rows, nextCursor: next)
  }
}

extension Page where Item: Content {
  /// A JSON array response with the `Link` header of the next page.
  func response(for req: Request) throws -> Response {
    let response = Response(status: .ok)
    try response.content.encode(items)
    if let nextCursor {
      var components = URLComponents()
      components.path = req.url.path
      var query = (URLComponents(string: req.url.string)?.queryItems ?? [])
        .filter { $0.name != "cursor" }
      query.append(URLQueryItem(name: "cursor", value: nextCursor))
      components.queryItems = query
      response.headers.add(name: .link, value: "<\(components.string ?? "")>; rel=\"next\"")
    }
    return response
  }
}

extension Page {
  func map<Other>(_ transform: (Item) throws -> Other) rethrows -> Page<Other> {
    Page<Other>(items: try items.map(transform), nextCursor: nextCursor)
  }
}
