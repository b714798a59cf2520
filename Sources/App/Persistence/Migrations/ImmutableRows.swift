import Fluent
import SQLKit

/// Triggers that make the database itself refuse `UPDATE` and `DELETE` on a table, so that no
/// code path (ours, a script, a console session) can rewrite history.
enum ImmutableRows {
  static func protect(_ table: String, on database: any Database) async throws {
    let sql = database.sql
    if sql.engine == .sqlite {
      for operation in ["UPDATE", "DELETE"] {
        try await sql.raw(
          """
          CREATE TRIGGER \(unsafeRaw: table)_no_\(unsafeRaw: operation.lowercased())
          BEFORE \(unsafeRaw: operation) ON \(unsafeRaw: table)
          BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: table) rows are immutable'); END
          """
        ).run()
      }
    } else {
      try await sql.raw(
        """
        CREATE OR REPLACE FUNCTION promptsmith_reject_change() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME; END $$ LANGUAGE plpgsql
        """
      ).run()
      try await sql.raw(
        """
        CREATE TRIGGER \(unsafeRaw: table)_immutable BEFORE UPDATE OR DELETE ON \(unsafeRaw: table)
        FOR EACH ROW EXECUTE FUNCTION promptsmith_reject_change()
        """
      ).run()
    }
  }

  static func unprotect(_ table: String, on database: any Database) async throws {
    let sql = database.sql
    if sql.engine == .sqlite {
      for operation in ["update", "delete"] {
        try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_no_\(unsafeRaw: operation)")
          .run()
      }
    } else {
      try await sql.raw(
        "DROP TRIGGER IF EXISTS \(unsafeRaw: table)_immutable ON \(unsafeRaw: table)"
      )
      .run()
      try await sql.raw("DROP FUNCTION IF EXISTS promptsmith_reject_change()").run()
    }
  }
}
