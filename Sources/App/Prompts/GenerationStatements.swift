import Foundation
import PostgresKit

/// The writes of a generation (`GenerationService.store`), prepared once per connection on
/// PostgreSQL.
extension GenerationService {
  /// The creator's prompt for an issue and a template with its next version number, taken in
  /// the statement that finds it, so concurrent generations number their versions one after
  /// the other. On PostgreSQL the `UPDATE` of a non-key column holds the row `FOR NO KEY
  /// UPDATE` to the commit, which leaves the foreign-key checks (`KEY SHARE`) of a concurrent
  /// `StoreInOneStatement` free (a `FOR UPDATE` lock deadlocked with them:
  /// `CoreLoopTests.concurrentGenerationsGetDistinctVersions`). One statement instead of a
  /// look-up and an update: SQLite's writer pays a thread hand-over per statement. No row: the
  /// prompt is new.
  struct AdvancePrompt: FixedStatement {
    static let sql = """
      UPDATE prompts SET version_count = GREATEST(version_count,
        (SELECT COALESCE(MAX(version), 0) FROM prompt_versions WHERE prompt_id = prompts.id)) + 1
      WHERE issue_id = $1 AND template_id = $2 AND creator_id = $3
      RETURNING id, version_count
      """
    static let sqliteSQL = """
      UPDATE prompts SET version_count = MAX(version_count,
        (SELECT COALESCE(MAX(version), 0) FROM prompt_versions WHERE prompt_id = prompts.id)) + 1
      WHERE issue_id = $1 AND template_id = $2 AND creator_id = $3
      RETURNING id, version_count
      """
    let issueID: UUID
    let templateID: UUID
    let creatorID: UUID
    var values: [BoundValue] { [.uuid(issueID), .uuid(templateID), .uuid(creatorID)] }
  }

  struct InsertPrompt: FixedStatement {
    static let sql = """
      INSERT INTO prompts (id, company_id, issue_id, template_id, creator_id, created_at)
      VALUES ($1, $2, $3, $4, $5, $6)
      """
    let id: UUID
    let companyID: UUID
    let issueID: UUID
    let templateID: UUID
    let creatorID: UUID
    let now: Date
    var values: [BoundValue] {
      [
        .uuid(id), .uuid(companyID), .uuid(issueID), .uuid(templateID), .uuid(creatorID),
        .date(now),
      ]
    }
  }

  /// SQLite's writer: the creator's prompt for an issue and a template, created with its first
  /// version number or advanced to its next, in one statement instead of a look-up, an insert
  /// and an update for a new prompt. `created` tells which: the row kept the id proposed here.
  /// Only under SQLite's single writer; PostgreSQL numbers its versions in
  /// `StoreInOneStatement`.
  struct CreateOrAdvancePrompt: FixedStatement {
    static let sql = """
      INSERT INTO prompts (id, company_id, issue_id, template_id, creator_id, created_at,
        version_count)
      VALUES ($1, $2, $3, $4, $5, $6, 1)
      ON CONFLICT (issue_id, template_id, creator_id) DO UPDATE SET version_count = MAX(
        prompts.version_count,
        (SELECT COALESCE(MAX(version), 0) FROM prompt_versions WHERE prompt_id = prompts.id)) + 1
      RETURNING id, version_count, id = $1 AS created
      """
    /// The row inserted when the prompt is new: the same values, in the same order.
    let prompt: InsertPrompt
    var values: [BoundValue] { prompt.values }
  }

  /// The prompt's next version number (`prompts.version_count`, caught up with the versions
  /// should rows have been written without it).
  struct NextVersion: FixedStatement {
    static let sql = """
      UPDATE prompts SET version_count = GREATEST(version_count,
        (SELECT COALESCE(MAX(version), 0) FROM prompt_versions WHERE prompt_id = $1)) + 1
      WHERE id = $1
      RETURNING version_count
      """
    static let sqliteSQL = """
      UPDATE prompts SET version_count = MAX(version_count,
        (SELECT COALESCE(MAX(version), 0) FROM prompt_versions WHERE prompt_id = $1)) + 1
      WHERE id = $1
      RETURNING version_count
      """
    let promptID: UUID
    var values: [BoundValue] { [.uuid(promptID)] }
  }

  struct InsertVersion: FixedStatement {
    static let sql = """
      INSERT INTO prompt_versions (id, prompt_id, company_id, creator_id, version, body_text,
        tokens_estimate, encoding, model, template_version_id, override_body_md,
        override_lint_json, vars_json, issue_snapshot_sha256, created_at, template_label,
        allow_over_budget)
      VALUES ($1, $2, $3, $4, $17, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
      """
    let id: UUID
    let version: Int
    let promptID: UUID
    let companyID: UUID
    let creatorID: UUID
    let text: String
    let tokens: Int
    let encoding: String
    let model: String
    let templateVersionID: UUID
    let overrideBody: String?
    let overrideLint: String?
    let vars: String
    let snapshot: String
    let templateLabel: String?
    let allowOverBudget: Bool
    let now: Date
    var values: [BoundValue] {
      [
        .uuid(id), .uuid(promptID), .uuid(companyID), .uuid(creatorID), .text(text),
        .int(tokens), .text(encoding), .text(model), .uuid(templateVersionID),
        .text(overrideBody), .text(overrideLint), .text(vars), .text(snapshot), .date(now),
        .text(templateLabel), .bool(allowOverBudget), .int(version),
      ]
    }
  }

  /// Last in the transaction: its trigger locks the day's `generation_daily_stats` row until the
  /// commit.
  struct InsertEvent: FixedStatement {
    static let sql = """
      INSERT INTO generation_events (id, company_id, prompt_version_id, template_id, user_id,
        tokens_in, ide, "timestamp")
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      """
    let id: UUID
    let companyID: UUID
    let versionID: UUID
    let templateID: UUID
    let userID: UUID
    let tokens: Int
    let ide: String?
    let now: Date
    var values: [BoundValue] {
      [
        .uuid(id), .uuid(companyID), .uuid(versionID), .uuid(templateID), .uuid(userID),
        .int(tokens), .text(ide), .date(now),
      ]
    }
  }
}

extension GenerationService {
  /// A whole generation's writes in one PostgreSQL statement, without a transaction around it:
  /// the prompt (created unless it exists), the version numbered by the prompt's
  /// `version_count`, the event and, when `$19` is true, the audit row. Four statements and
  /// `BEGIN`/`COMMIT` in one round trip: the separate statements were 9 round trips per
  /// generation with the reads.
  ///
  /// Concurrent generations of one prompt queue on its row in `numbered` for the rest of one
  /// statement only, and the `UPDATE` reads the count the previous one committed. A prompt
  /// created by a concurrent statement after this one's snapshot is invisible to it: then no
  /// row comes back, and the caller runs the statement again. The audit row is the one
  /// `AuditLog.record` writes; its details `{"version":"N"}` are spelt here as `JSONEncoder`
  /// spells them (`AuditTrailTests` compares both paths).
  struct StoreInOneStatement: FixedStatement {
    static let sql = """
      WITH new_prompt AS (
        INSERT INTO prompts (id, company_id, issue_id, template_id, creator_id, created_at,
          version_count)
        VALUES ($1, $2, $3, $4, $5, $6, 1)
        ON CONFLICT (issue_id, template_id, creator_id) DO NOTHING
        RETURNING id
      ), numbered AS (
        UPDATE prompts SET version_count = GREATEST(version_count,
          (SELECT COALESCE(MAX(version), 0) FROM prompt_versions WHERE prompt_id = prompts.id))
          + 1
        WHERE issue_id = $3 AND template_id = $4 AND creator_id = $5
        RETURNING id, version_count
      ), prompt AS (
        SELECT id, TRUE AS created, CAST(1 AS BIGINT) AS number FROM new_prompt
        UNION ALL
        SELECT id, FALSE AS created, version_count AS number FROM numbered
      ), version AS (
        INSERT INTO prompt_versions (id, prompt_id, company_id, creator_id, version, body_text,
          tokens_estimate, encoding, model, template_version_id, override_body_md,
          override_lint_json, vars_json, issue_snapshot_sha256, created_at, template_label,
          allow_over_budget)
        SELECT $7, prompt.id, $2, $5, prompt.number,
          $8, $9, $10, $11, $12, $13, $14, $15, $16, $6, $28, $29
        FROM prompt
        RETURNING prompt_id, version
      ), event AS (
        INSERT INTO generation_events (id, company_id, prompt_version_id, template_id, user_id,
          tokens_in, ide, "timestamp")
        SELECT $17, $2, $7, $4, $5, $9, $18, $6 FROM version
      ), audit AS (
        INSERT INTO audit_events (id, company_id, user_id, action, ip, user_agent, request_id,
          details_json, entity_type, entity_id, changed_fields, created_at)
        SELECT $20, $2, $5,
          CASE WHEN prompt.created THEN $24 ELSE $25 END, $21, $22, $23,
          '{"version":"' || version.version || '"}', 'prompt', prompt.id,
          CASE WHEN prompt.created THEN $26 ELSE $27 END, $6
        FROM version JOIN prompt ON prompt.id = version.prompt_id
        WHERE $19
      )
      SELECT version.prompt_id, version.version, prompt.created
      FROM version JOIN prompt ON prompt.id = version.prompt_id
      """
    let newPromptID: UUID
    let companyID: UUID
    let issueID: UUID
    let templateID: UUID
    let userID: UUID
    let now: Date
    let versionID: UUID
    let text: String
    let tokens: Int
    let encoding: String
    let model: String
    let templateVersionID: UUID
    let overrideBody: String?
    let overrideLint: String?
    let vars: String
    let snapshot: String
    let templateLabel: String?
    let allowOverBudget: Bool
    let eventID: UUID
    let ide: String?
    /// False: no audit row (a generation with no auditor).
    let audited: Bool
    let client: ClientInfo?
    let auditID = UUID.v7()

    var values: [BoundValue] {
      [
        .uuid(newPromptID), .uuid(companyID), .uuid(issueID), .uuid(templateID), .uuid(userID),
        .date(now), .uuid(versionID), .text(text), .int(tokens), .text(encoding), .text(model),
        .uuid(templateVersionID), .text(overrideBody), .text(overrideLint), .text(vars),
        .text(snapshot), .uuid(eventID), .text(ide), .bool(audited), .uuid(auditID),
        .text(client?.ip), .text(client?.userAgent), .text(client?.requestID),
        .text(AuditAction.promptCreated.rawValue), .text(AuditAction.promptUpdated.rawValue),
        .text(GenerationService.changedOnCreateJSON), .text(GenerationService.changedOnUpdateJSON),
        .text(templateLabel), .bool(allowOverBudget),
      ]
    }
  }
}
