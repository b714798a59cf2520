import Fluent
import SQLKit
import Vapor

/// Authenticates a `ps_pat_…` bearer token as its user, with the user's current role.
enum PATLookup {
  static func principal(token: String, on database: any Database, now: Date = Date())
    async throws -> Principal?
  {
    guard
      let pat = try await PersonalAccessToken.query(on: database)
        .filter(\.$tokenHash == SessionService.hash(token)).filter(\.$revokedAt == nil).first(),
      pat.expiresAt > now,
      let user = try await User.find(pat.$user.id, on: database), !user.disabled
    else { return nil }
    // Cheap bookkeeping: at most one write a minute per token. The check comes before the
    // statement because on SQLite even an `UPDATE` that matches nothing takes the write lock.
    if pat.lastUsedAt.map({ $0 < now.addingTimeInterval(-60) }) ?? true {
      let id = try pat.requireID()
      try await database.singleWrite { transaction in
        try await transaction.sql.update(PersonalAccessToken.schema)
          .set("last_used_at", to: SQLBind(now))
          .where("id", .equal, SQLBind(id))
          .where { group in
            group.where("last_used_at", .is, SQLLiteral.null)
              .orWhere("last_used_at", .lessThan, SQLBind(now.addingTimeInterval(-60)))
          }
          .run()
      }
    }
    return Principal(
      userID: try user.requireID(), companyID: user.$company.id, role: user.role,
      email: user.email, name: user.name, familyID: nil)
  }
}
