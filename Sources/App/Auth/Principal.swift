import Vapor

/// The authenticated user of a request, read from the database on every request so that a
/// disabled account, a new role or a revoked session takes effect at once.
struct Principal: Sendable {
  let userID: UUID
  let companyID: UUID
  let role: Role
  let email: String
  let name: String
  /// The refresh token family (session) the access token belongs to; nil for a personal access
  /// token, which is its own credential.
  let familyID: UUID?
}

struct PrincipalKey: StorageKey {
  typealias Value = Principal
}

extension Request {
  /// The authenticated user; routes behind `RequireRole` always have one.
  var principal: Principal {
    get throws {
      guard let principal = storage[PrincipalKey.self] else { throw AppError.unauthorized }
      return principal
    }
  }
}
