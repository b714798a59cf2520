import Foundation

extension GenerationService {
  /// The writes of several generations in one statement and one commit
  /// (`GenerationService.storeInGroup`): `StoreInOneStatement` with a row per generation in
  /// each parameter (arrays, unnested with their position). Generations of one prompt in the
  /// group take consecutive version numbers in their order; the prompt's `version_count` moves
  /// once by their number. A prompt is inserted once, whichever of its generations comes first
  /// being the one that created it. New prompts are inserted and existing ones locked in key
  /// order, and the statistics triggers upsert in key order too (migration 026): the groups of
  /// several processes take their row locks in one order, so they cannot deadlock.
  ///
  /// One row comes back per generation stored. A generation without a row (its prompt was
  /// created by a concurrent statement after this one's snapshot) is stored again alone.
  struct StoreGroupInOneStatement: FixedStatement {
    static let sql = """
      WITH input AS (
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $7::uuid[],
          $8::text[], $9::bigint[], $10::text[], $11::text[], $12::uuid[], $13::text[], $14::text[],
          $15::text[], $16::text[], $17::uuid[], $18::text[], $19::boolean[], $20::uuid[], $21::text[],
          $22::text[], $23::text[], $28::text[], $29::boolean[], $6::timestamptz[])
          WITH ORDINALITY AS i (new_prompt_id, company_id, issue_id, template_id, creator_id, version_id,
            body_text, tokens, encoding, model, template_version_id, override_body, override_lint,
            vars, snapshot, event_id, ide, audited, audit_id, ip, user_agent, request_id,
            template_label, allow_over_budget, now, position)
      ), wanted AS (
        SELECT issue_id, template_id, creator_id, COUNT(*) AS versions, MIN(position) AS first
        FROM input GROUP BY issue_id, template_id, creator_id
      ), new_prompt AS (
        INSERT INTO prompts (id, company_id, issue_id, template_id, creator_id, created_at,
          version_count)
        SELECT input.new_prompt_id, input.company_id, wanted.issue_id, wanted.template_id,
          wanted.creator_id, input.now, wanted.versions
        FROM wanted JOIN input ON input.position = wanted.first
        ORDER BY wanted.issue_id, wanted.template_id, wanted.creator_id
        ON CONFLICT (issue_id, template_id, creator_id) DO NOTHING
        RETURNING id, issue_id, template_id, creator_id
      ), locked AS (
        SELECT prompts.id, wanted.versions
        FROM prompts JOIN wanted ON prompts.issue_id = wanted.issue_id
          AND prompts.template_id = wanted.template_id AND prompts.creator_id = wanted.creator_id
        ORDER BY prompts.issue_id, prompts.template_id, prompts.creator_id
        FOR NO KEY UPDATE OF prompts
      ), numbered AS (
        UPDATE prompts SET version_count = GREATEST(version_count,
          (SELECT COALESCE(MAX(version), 0) FROM prompt_versions WHERE prompt_id = prompts.id))
          + locked.versions
        FROM locked
        WHERE prompts.id = locked.id
        RETURNING prompts.id, prompts.issue_id, prompts.template_id, prompts.creator_id,
          prompts.version_count - locked.versions AS before
      ), prompt AS (
        SELECT id, issue_id, template_id, creator_id, TRUE AS created, CAST(0 AS BIGINT) AS before
        FROM new_prompt
        UNION ALL
        SELECT id, issue_id, template_id, creator_id, FALSE, before FROM numbered
      ), placed AS (
        SELECT input.*, prompt.id AS prompt_id,
          prompt.before + ROW_NUMBER() OVER (PARTITION BY prompt.id ORDER BY input.position) AS number,
          prompt.created AND ROW_NUMBER() OVER (PARTITION BY prompt.id ORDER BY input.position) = 1
            AS created
        FROM input JOIN prompt USING (issue_id, template_id, creator_id)
      ), version AS (
        INSERT INTO prompt_versions (id, prompt_id, company_id, creator_id, version, body_text,
          tokens_estimate, encoding, model, template_version_id, override_body_md,
          override_lint_json, vars_json, issue_snapshot_sha256, created_at, template_label,
          allow_over_budget)
        SELECT version_id, prompt_id, company_id, creator_id, number, body_text, tokens, encoding,
          model, template_version_id, override_body, override_lint, vars, snapshot, now,
          template_label, allow_over_budget
        FROM placed ORDER BY position
        RETURNING id
      ), event AS (
        INSERT INTO generation_events (id, company_id, prompt_version_id, template_id, user_id,
          tokens_in, ide, "timestamp")
        SELECT placed.event_id, placed.company_id, version.id, placed.template_id, placed.creator_id,
          placed.tokens, placed.ide, placed.now
        FROM version JOIN placed ON placed.version_id = version.id ORDER BY placed.position
      ), audit AS (
        INSERT INTO audit_events (id, company_id, user_id, action, ip, user_agent, request_id,
          details_json, entity_type, entity_id, changed_fields, created_at)
        SELECT placed.audit_id, placed.company_id, placed.creator_id,
          CASE WHEN placed.created THEN $24 ELSE $25 END, placed.ip, placed.user_agent,
          placed.request_id, '{"version":"' || placed.number || '"}', 'prompt', placed.prompt_id,
          CASE WHEN placed.created THEN $26 ELSE $27 END, placed.now
        FROM version JOIN placed ON placed.version_id = version.id
        WHERE placed.audited ORDER BY placed.position
      )
      SELECT placed.position, placed.prompt_id, placed.number AS version, placed.created
      FROM version JOIN placed ON placed.version_id = version.id
      """
    let generations: [StoreInOneStatement]

    var values: [BoundValue] {
      let all = generations
      return [
        .uuids(all.map(\.newPromptID)), .uuids(all.map(\.companyID)), .uuids(all.map(\.issueID)),
        .uuids(all.map(\.templateID)), .uuids(all.map(\.userID)), .dates(all.map(\.now)),
        .uuids(all.map(\.versionID)), .texts(all.map(\.text)), .ints(all.map(\.tokens)),
        .texts(all.map(\.encoding)), .texts(all.map(\.model)), .uuids(all.map(\.templateVersionID)),
        .texts(all.map(\.overrideBody)), .texts(all.map(\.overrideLint)), .texts(all.map(\.vars)),
        .texts(all.map(\.snapshot)), .uuids(all.map(\.eventID)), .texts(all.map(\.ide)),
        .bools(all.map(\.audited)), .uuids(all.map(\.auditID)), .texts(all.map(\.client?.ip)),
        .texts(all.map(\.client?.userAgent)), .texts(all.map(\.client?.requestID)),
        .text(AuditAction.promptCreated.rawValue), .text(AuditAction.promptUpdated.rawValue),
        .text(GenerationService.changedOnCreateJSON), .text(GenerationService.changedOnUpdateJSON),
        .texts(all.map(\.templateLabel)), .bools(all.map(\.allowOverBudget)),
      ]
    }
  }
}
