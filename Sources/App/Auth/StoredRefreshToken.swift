import FluentKit
import Foundation
import PostgresKit

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
  /// When the session's login happened: rotations never extend a session past its maximum.
  let sessionStartedAt: Date

  /// The token with this hash, or nil (also when its session or user no longer exists).
  static func find(hash: String, on database: any Database) async throws -> Self? {
    guard let row = try await database.firstRow(Statement(hash: hash)),
      let role = Role(rawValue: try row.decode(column: "role", as: String.self))
    else { return nil }
    return Self(
      id: try row.decode(column: "id", as: UUID.self),
      familyID: try row.decode(column: "family_id", as: UUID.self),
      userID: try row.decode(column: "user_id", as: UUID.self),
      companyID: try row.decode(column: "company_id", as: UUID.self), role: role,
      expiresAt: try row.decode(column: "expires_at", as: Date.self),
      familyRevoked: try !row.decodeNil(column: "revoked_at"),
      userDisabled: try row.decode(column: "disabled", as: Bool.self),
      sessionStartedAt: try row.decode(column: "family_created_at", as: Date.self))
  }

  struct Statement: FixedStatement {
    static let readsByKey = true
    static let sql = """
      SELECT refresh_tokens.id, refresh_tokens.family_id, refresh_tokens.user_id,
        refresh_tokens.expires_at, refresh_token_families.revoked_at,
        refresh_token_families.created_at AS family_created_at, users.company_id, users.role,
        users.disabled
      FROM refresh_tokens
      JOIN refresh_token_families ON refresh_token_families.id = refresh_tokens.family_id
      JOIN users ON users.id = refresh_tokens.user_id
      WHERE refresh_tokens.token_hash = $1
      """
    let hash: String
    var values: [BoundValue] { [.text(hash)] }
  }
}

/// Marks a refresh token used, unless someone else did first (then no row comes back).
struct ClaimRefreshToken: FixedStatement {
  static let sql = """
    UPDATE refresh_tokens SET rotated_at = $2 WHERE id = $1 AND rotated_at IS NULL RETURNING id
    """
  let id: UUID
  let at: Date
  var values: [BoundValue] { [.uuid(id), .date(at)] }
}

/// A new refresh token of a session, in column order.
struct InsertRefreshToken: FixedStatement {
  static let sql = """
    INSERT INTO refresh_tokens (id, family_id, user_id, parent_id, token_hash, expires_at,
      created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    """
  let values: [BoundValue]
}
