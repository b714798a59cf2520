import Fluent
import Vapor

struct PersonalAccessTokenResponse: Content {
  let id: String
  let userId: String
  let name: String
  let createdAt: Date?
  let lastUsedAt: Date?
  let expiresAt: Date
  /// Only in the response that creates it: the secret is never shown again.
  let token: String?

  init(_ pat: PersonalAccessToken, secret: String? = nil) throws {
    id = try pat.requireID().lowercasedText
    userId = pat.$user.id.lowercasedText
    name = pat.name
    createdAt = pat.createdAt
    lastUsedAt = pat.lastUsedAt
    expiresAt = pat.expiresAt
    token = secret
  }
}

/// Personal access tokens: `/me/tokens` for one's own, `/tokens` for a company's admin.
struct PersonalAccessTokenRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    let mine = routes.grouped("me", "tokens").grouped(RequireRole(.developer))
    mine.post(use: create)
    mine.get(use: listMine)
    mine.delete(":tokenID", use: revokeMine)
    let admins = routes.grouped("tokens").grouped(RequireRole(.admin))
    admins.get(use: listCompany)
    admins.delete(":tokenID", use: revokeAny)
  }

  /// A token is a credential of up to a year: it takes the current password, and a request
  /// authenticated by a token cannot mint another (a leaked token must not outlive its revocation).
  func create(req: Request) async throws -> Response {
    let principal = try req.principal
    guard principal.familyID != nil else {
      throw AppError.forbidden(
        "A personal access token cannot create personal access tokens; sign in instead.")
    }
    let body = try JSONBody(req)
    let name = try body.requiredString("name").trimmingCharacters(in: .whitespacesAndNewlines)
    let currentPassword = try body.requiredString("currentPassword")
    var errors: [ProblemDetails.FieldError] = []
    if !(1...100).contains(name.count) {
      errors.append(.init(field: "name", reason: "must be 1 to 100 characters"))
    }
    let days = try body.optionalInt("expiresInDays") ?? 90
    if !(1...365).contains(days) {
      errors.append(.init(field: "expiresInDays", reason: "must be 1 to 365"))
    }
    guard errors.isEmpty else { throw AppError.validation(errors) }
    guard let user = try await User.find(principal.userID, on: req.db) else {
      throw AppError.unauthorized
    }
    try await CurrentPasswordCheck(req: req).verify(
      currentPassword, of: user, purpose: "token creation")
    let secret = PersonalAccessToken.prefix + SessionService.randomToken()
    let pat = PersonalAccessToken(
      userID: principal.userID, companyID: principal.companyID, name: name,
      tokenHash: SessionService.hash(secret),
      expiresAt: Date().addingTimeInterval(Double(days) * 86_400))
    let auditor = try req.auditor
    try await req.db.writeTransaction { transaction in
      try await pat.create(on: transaction)
      try await auditor.record(
        .tokenCreated, .token, id: try pat.requireID(), changed: ["name", "expiresInDays"],
        on: transaction)
    }
    let response = Response(status: .created)
    try response.content.encode(PersonalAccessTokenResponse(pat, secret: secret))
    response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
    return response
  }

  func listMine(req: Request) async throws -> Response {
    let principal = try req.principal
    let page = try await PersonalAccessToken.query(on: req.db)
      .filter(\.$user.$id == principal.userID).filter(\.$revokedAt == nil)
      .page(PageRequest(from: req))
    return try page.map { try PersonalAccessTokenResponse($0) }.response(for: req)
  }

  func listCompany(req: Request) async throws -> Response {
    let principal = try req.principal
    let page = try await PersonalAccessToken.query(on: req.db)
      .filter(\.$company.$id == principal.companyID).filter(\.$revokedAt == nil)
      .page(PageRequest(from: req))
    return try page.map { try PersonalAccessTokenResponse($0) }.response(for: req)
  }

  func revokeMine(req: Request) async throws -> HTTPStatus {
    let principal = try req.principal
    return try await revoke(
      PersonalAccessToken.query(on: req.db).filter(\.$user.$id == principal.userID), req: req)
  }

  func revokeAny(req: Request) async throws -> HTTPStatus {
    let principal = try req.principal
    return try await revoke(
      PersonalAccessToken.query(on: req.db).filter(\.$company.$id == principal.companyID),
      req: req)
  }

  /// Idempotent, as a DELETE should be: revoking a revoked token answers 204 again.
  private func revoke(_ scope: QueryBuilder<PersonalAccessToken>, req: Request) async throws
    -> HTTPStatus
  {
    guard
      let pat = try await scope.filter(\.$id == req.idParameter("tokenID", "Token")).first()
    else { throw AppError.notFound("Token") }
    guard pat.revokedAt == nil else { return .noContent }
    pat.revokedAt = Date()
    let auditor = try req.auditor
    try await req.db.writeTransaction { transaction in
      try await pat.save(on: transaction)
      try await auditor.record(
        .tokenRevoked, .token, id: try pat.requireID(), changed: ["revokedAt"], on: transaction)
    }
    return .noContent
  }
}
