import Fluent
import PostgresKit
import SQLKit
import Vapor

/// Reads an access token's user and session in one primary-key query.
enum SessionLookup {
  static func principal(claims: JWTAccessTokenClaims, on database: any Database) async throws
    -> Principal?
  {
    guard let statement = Statement(claims: claims) else { return nil }
    return try principal(statement, row: try await database.firstRow(statement))
  }

  /// The principal the statement's row admits: nil without a row, for a disabled user or a
  /// revoked session.
  static func principal(_ statement: Statement, row: (any SQLRow)?) throws -> Principal? {
    guard let row,
      try !row.decode(column: "disabled", as: Bool.self),
      try row.decodeNil(column: "revoked_at"),
      let role = Role(rawValue: try row.decode(column: "role", as: String.self))
    else { return nil }
    return Principal(
      userID: statement.userID, companyID: try row.decode(column: "company_id", as: UUID.self),
      role: role, email: try row.decode(column: "email", as: String.self),
      name: try row.decode(column: "user_name", as: String.self), familyID: statement.familyID)
  }

  /// Literal SQL, prepared once per connection: it runs on every authenticated request, and
  /// SQLKit's query builder spent its time quoting identifiers (String.replacing; perf,
  /// 2026-11-26).
  struct Statement: FixedStatement {
    static let readsByKey = true
    static let sql = """
      SELECT users.company_id, users.email, users.name AS user_name, users.role, users.disabled,
        refresh_token_families.revoked_at
      FROM users JOIN refresh_token_families ON refresh_token_families.user_id = users.id
      WHERE users.id = $1 AND refresh_token_families.id = $2
      """
    let userID: UUID
    let familyID: UUID
    var values: [BoundValue] { [.uuid(userID), .uuid(familyID)] }

    init(userID: UUID, familyID: UUID) {
      self.userID = userID
      self.familyID = familyID
    }

    /// The token's user and session; nil when the claims do not name them as UUIDs.
    init?(claims: JWTAccessTokenClaims) {
      guard let userID = UUID(text: claims.subject.value),
        let familyID = UUID(text: claims.sessionID)
      else { return nil }
      self.init(userID: userID, familyID: familyID)
    }
  }
}
