import FluentKit
import Foundation
import SQLKit

/// A refresh token with its session and user, read in one query as a plain row: reading the
/// token, family and user as three Fluent models made model reflection 13 % of the server's
/// CPU in `POST /auth/refresh` (scripts/bench.sh with BENCH_PROFILE=1, 2026-11-26).
struct StoredRefreshToken: Sendable {
  let id: UUID
  let familyID: UUID
  let userID: UUID
  let companyID: UUID
  let role: Role
  let expiresAt: Date
  let familyRevoked: Bool
  let userDisabled: Bool

  /// The token with this hash, or nil (also when its session or user no longer exists).
  static func find(hash: String, on database: any Database) async throws -> Self? {
    guard
      let row = try await (database as! any SQLDatabase).raw(
        """
        SELECT refresh_tokens.id, refresh_tokens.family_id, refresh_tokens.user_id,
          refresh_tokens.expires_at, refresh_token_families.revoked_at, users.company_id,
          users.role, users.disabled
        FROM refresh_tokens
        JOIN refresh_token_families ON refresh_token_families.id = refresh_tokens.family_id
        JOIN users ON users.id = refresh_tokens.user_id
        WHERE refresh_tokens.token_hash = \(bind: hash)
        """
      ).first(),
      let role = Role(rawValue: try row.decode(column: "role", as: String.self))
    else { return nil }
    return Self(
      id: try row.decode(column: "id", as: UUID.self),
      familyID: try row.decode(column: "family_id", as: UUID.self),
      userID: try row.decode(column: "user_id", as: UUID.self),
      companyID: try row.decode(column: "company_id", as: UUID.self), role: role,
      expiresAt: try row.decode(column: "expires_at", as: Date.self),
      familyRevoked: try !row.decodeNil(column: "revoked_at"),
      userDisabled: try row.decode(column: "disabled", as: Bool.self))
  }
}
