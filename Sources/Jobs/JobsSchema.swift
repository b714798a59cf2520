import SQLKit

/// Creates and drops the `jobs` table and its indexes on PostgreSQL or SQLite.
///
/// The App calls these from a Fluent migration (`prepare` / `revert`), passing the migration's
/// database as `any SQLDatabase`.
public enum JobsSchema {
  /// The table's name.
  public static let tableName = "jobs"

  /// Creates the `jobs` table and its indexes, as the current version of the queue reads them.
  ///
  /// On SQLite the statements run in one `BEGIN IMMEDIATE` transaction of their own (so do not
  /// call it inside another): a connection of the pool must never see the table without its
  /// unique index, as SQLite reports a stale schema at `ON CONFLICT` instead of reloading it.
  public static func create(on database: any SQLDatabase) async throws {
    let dialect = try DatabaseEngine(database)
    try await run(
      on: database,
      statements: createStatements(dialect) + tenantStatements + failedAtStatements(dialect))
  }

  /// Creates the table as its first version did, without ``addTenant(on:)``'s column: for a
  /// migration that shipped it, so that the migrations after it still apply.
  public static func createFirstVersion(on database: any SQLDatabase) async throws {
    try await run(on: database, statements: createStatements(try DatabaseEngine(database)))
  }

  /// Adds the `tenant` column (whose jobs they are) and its listing index to a table that
  /// ``createFirstVersion(on:)`` made. Existing jobs get no tenant: the caller may backfill.
  public static func addTenant(on database: any SQLDatabase) async throws {
    try await run(on: database, statements: tenantStatements)
  }

  static let tenantStatements = [
    "ALTER TABLE jobs ADD COLUMN tenant TEXT",
    // Admin list of one tenant's jobs, paginated by id.
    "CREATE INDEX jobs_tenant_id_idx ON jobs (tenant, id)",
  ]

  /// Adds the `failed_at` column (when the latest attempt failed, for the failures-per-hour
  /// statistics) and its index to a table that ``addTenant(on:)`` brought up to date.
  public static func addFailedAt(on database: any SQLDatabase) async throws {
    try await run(on: database, statements: failedAtStatements(try DatabaseEngine(database)))
  }

  static func failedAtStatements(_ dialect: DatabaseEngine) -> [String] {
    [
      "ALTER TABLE jobs ADD COLUMN failed_at \(timeType(dialect))",
      "CREATE INDEX jobs_failed_at_idx ON jobs (failed_at) WHERE failed_at IS NOT NULL",
    ]
  }

  static func timeType(_ dialect: DatabaseEngine) -> String {
    dialect == .postgres ? "TIMESTAMPTZ" : "REAL"
  }

  /// Drops the `jobs` table (and with it its indexes).
  public static func drop(on database: any SQLDatabase) async throws {
    try await run(on: database, statements: ["DROP TABLE IF EXISTS jobs"])
  }

  private static func run(on database: any SQLDatabase, statements: [String]) async throws {
    switch try DatabaseEngine(database) {
    case .postgres:
      for statement in statements {
        try await database.raw(SQLQueryString(statement)).run()
      }
    case .sqlite:
      try await SQLiteWriter.immediateTransaction(on: database, busyTimeout: .seconds(30)) {
        session in
        // Executing a read makes the connection reload a schema other connections changed;
        // DDL statements are checked against the cached schema when prepared.
        _ = try await session.raw("SELECT count(*) FROM sqlite_master").all()
        for statement in statements {
          try await session.raw(SQLQueryString(statement)).run()
        }
      }
    }
  }

  private static func createStatements(_ dialect: DatabaseEngine) -> [String] {
    let uuid = dialect == .postgres ? "UUID" : "TEXT"
    let time = timeType(dialect)
    let states = JobState.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    let table = """
      CREATE TABLE jobs (
        id \(uuid) PRIMARY KEY,
        queue TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN (\(states))),
        attempt INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL CHECK (max_attempts > 0),
        run_at \(time) NOT NULL,
        lease_owner TEXT,
        lease_expires_at \(time),
        last_error TEXT,
        unique_key TEXT,
        created_at \(time) NOT NULL,
        started_at \(time),
        finished_at \(time)
      )
      """
    return [table] + indexStatements
  }

  /// The predicate of the partial unique index; `ON CONFLICT` repeats it verbatim.
  static let pendingPredicate = "state IN ('available', 'running', 'retryable')"

  /// Each index serves one query: claiming, rescuing, pruning, listing, unique keys, counts.
  static let indexStatements = [
    // Claim: due jobs in run_at order.
    "CREATE INDEX jobs_fetch_idx ON jobs (run_at, id) "
      + "WHERE state IN ('available', 'retryable')",
    // Rescue: running jobs whose lease ran out.
    "CREATE INDEX jobs_lease_idx ON jobs (lease_expires_at) WHERE state = 'running'",
    // Prune: finished jobs past retention.
    "CREATE INDEX jobs_prune_idx ON jobs (finished_at) "
      + "WHERE state IN ('succeeded', 'dead', 'cancelled')",
    // Admin list filtered by state or kind, paginated by id.
    "CREATE INDEX jobs_state_id_idx ON jobs (state, id)",
    "CREATE INDEX jobs_kind_id_idx ON jobs (kind, id)",
    // Queue depth by queue and state.
    "CREATE INDEX jobs_queue_state_idx ON jobs (queue, state)",
    // At most one pending job per unique key.
    "CREATE UNIQUE INDEX jobs_unique_pending_idx ON jobs (unique_key) WHERE "
      + pendingPredicate,
    // Any job with a key, finished or not (schedule slots run once).
    "CREATE INDEX jobs_unique_key_idx ON jobs (unique_key) WHERE unique_key IS NOT NULL",
  ]
}
