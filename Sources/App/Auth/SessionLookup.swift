import Fluent
import PostgresKit
import SQLKit
import Vapor

/// Reads an access token's user and session in one primary-key query.
enum SessionLookup {
  static func principal(claims: JWTAccessTokenClaims, on database: any Database) async throws
    -> Principal?
  {
    guard let userID = UUID(uuidString: claims.subject.value),
      let familyID = UUID(uuidString: claims.sessionID)
    else { return nil }
    let row = try await database.firstRow(Statement(userID: userID, familyID: familyID))
    guard let row,
      try !row.decode(column: "disabled", as: Bool.self),
      try row.decodeNil(column: "revoked_at"),
      let role = Role(rawValue: try row.decode(column: "role", as: String.self))
    else { return nil }
    return Principal(
      userID: userID, companyID: try row.decode(column: "company_id", as: UUID.self), role: role,
      email: try row.decode(column: "email", as: String.self),
      name: try row.decode(column: "name", as: String.self), familyID: familyID)
  }

  /// Literal SQL, prepared once per connection: it runs on every authenticated request, and
  /// SQLKit's query builder spent its time quoting identifiers (String.replacing; perf,
  /// 2026-11-26).
  struct Statement: FixedStatement {
    static let sql = """
      SELECT users.company_id, users.email, users.name, users.role, users.disabled,
        refresh_token_families.revoked_at
      FROM users JOIN refresh_token_families ON refresh_token_families.user_id = users.id
      WHERE users.id = $1 AND refresh_token_families.id = $2
      """
    let userID: UUID
    let familyID: UUID
    var values: [BoundValue] { [.uuid(userID), .uuid(familyID)] }
  }
}
