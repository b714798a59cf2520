import Fluent
import SQLKit
import Vapor

/// Reads an access token's user and session in one primary-key query.
enum SessionLookup {
  static func principal(claims: AccessTokenClaims, on database: any Database) async throws
    -> Principal?
  {
    guard let userID = UUID(uuidString: claims.subject.value),
      let familyID = UUID(uuidString: claims.sessionID)
    else { return nil }
    let sql = database as! any SQLDatabase
    let row = try await sql.select()
      .column(SQLColumn("id", table: "users"))
      .column(SQLColumn("company_id", table: "users"))
      .column(SQLColumn("email", table: "users"))
      .column(SQLColumn("name", table: "users"))
      .column(SQLColumn("role", table: "users"))
      .column(SQLColumn("disabled", table: "users"))
      .column(SQLColumn("revoked_at", table: "refresh_token_families"))
      .from("users")
      .join(
        "refresh_token_families",
        on: SQLColumn("user_id", table: "refresh_token_families"), .equal,
        SQLColumn("id", table: "users")
      )
      .where(SQLColumn("id", table: "users"), .equal, SQLBind(userID))
      .where(SQLColumn("id", table: "refresh_token_families"), .equal, SQLBind(familyID))
      .first()
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
}
