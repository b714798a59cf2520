#!/usr/bin/env bash
# SQL that seeds a realistic company into a migrated, bootstrapped Promptsmith database on
# PostgreSQL. Sourced by scripts/bench.sh; each function prints SQL for `psql -v ON_ERROR_STOP=1`.
# Everything is generate_series: 10,000 issues and 1,000,000 events take seconds, not minutes.

# 50 users sharing the bootstrap admin's bcrypt hash (so they log in with BENCH_PASSWORD): users
# 01–05 are leads, 06–50 developers. Two trackers, 20 templates (one version each), and a pool of
# 200 pseudo-random Markdown paragraphs that issue descriptions are assembled from.
seed_base_sql() {
  cat <<'SQL'
INSERT INTO users (id, company_id, email, name, role, password_hash, disabled, created_at)
  SELECT gen_random_uuid(), a.company_id, format('user%s@bench.example', lpad(g::text, 2, '0')),
    format('Bench User %s', g), CASE WHEN g <= 5 THEN 'lead' ELSE 'developer' END,
    a.password_hash, false, now()
  FROM users a, generate_series(1, 50) g WHERE a.email = 'admin@promptsmith.local';
CREATE TABLE bench_users AS
  SELECT id, email, name, row_number() OVER (ORDER BY email) - 1 AS n
  FROM users WHERE email LIKE 'user%@bench.example';

-- Trackers synced daily, last synced now: the worker has nothing to fetch during the run.
INSERT INTO trackers (id, company_id, type, name, base_url, created_at, sync_interval_minutes,
    last_sync_at)
  SELECT gen_random_uuid(), c.id, t.type, t.name, t.url, now(), 1440, now()
  FROM companies c, (VALUES ('jira-cloud', 'Jira', 'https://bench.atlassian.net', 'PS'),
    ('teamwork', 'Teamwork', 'https://bench.teamwork.com', 'TW')) AS t(type, name, url, prefix);
CREATE TABLE bench_trackers AS
  SELECT id, company_id, base_url, row_number() OVER (ORDER BY name) - 1 AS n,
    CASE WHEN type = 'teamwork' THEN 'TW' ELSE 'PS' END AS prefix
  FROM trackers;

CREATE TABLE bench_paragraphs AS
  SELECT p AS n, string_agg(w.words[1 + floor(random() * array_length(w.words, 1))::int], ' ')
    || '.' AS body
  FROM generate_series(0, 199) p
  CROSS JOIN LATERAL generate_series(1, 45 + p % 40) g
  CROSS JOIN (SELECT ARRAY['the', 'request', 'handler', 'should', 'return', 'a', 'paginated',
    'list', 'of', 'issues', 'when', 'user', 'opens', 'dashboard', 'and', 'token', 'expires',
    'refresh', 'session', 'database', 'migration', 'index', 'query', 'latency', 'cache', 'must',
    'not', 'block', 'event', 'loop', 'error', 'is', 'logged', 'with', 'request', 'id', 'template',
    'renders', 'prompt', 'for', 'assistant', 'in', 'IDE', 'acceptance', 'criteria', 'are', 'met',
    'tests', 'cover', 'edge', 'cases', 'API', 'returns', '404', 'if', 'missing', 'field',
    'validation', 'fails', 'on', 'empty', 'input', '`GET /issues`', '`tokens_in`', '**must**',
    '_optional_', 'JSON', 'payload', 'Jira', 'webhook', 'retries', 'backoff']) AS w(words)
  GROUP BY p;

INSERT INTO prompt_templates (id, company_id, name, body_md, latest_version, created_by, created_at)
  SELECT gen_random_uuid(), a.company_id, format('template-%s', lpad(g::text, 2, '0')),
    format(E'You are a senior engineer working on {{key}} ({{type}}, priority {{priority}}) '
      'from {{tracker}}.\n\n# {{title}}\n\n{{description}}\n\n## Acceptance criteria\n\n'
      '{{criteria}}\n\n{{#if labels}}Labels: {{#each labels}}{{this}} {{/each}}{{/if}}\n\n'
      'Write for the {{audience}}; keep the tone {{tone}}. Variant %s: %s\n', g, p.body),
    1, a.id, now()
  FROM users a, generate_series(1, 20) g JOIN bench_paragraphs p ON p.n = g * 7
  WHERE a.email = 'admin@promptsmith.local';
INSERT INTO prompt_template_versions (id, template_id, version, body_md, content_hash, created_by,
    created_at)
  SELECT gen_random_uuid(), id, 1, body_md, md5(body_md), created_by, created_at
  FROM prompt_templates;
CREATE TABLE bench_templates AS
  SELECT t.id, v.id AS version_id, t.company_id, row_number() OVER (ORDER BY t.name) - 1 AS n
  FROM prompt_templates t JOIN prompt_template_versions v ON v.template_id = t.id;
SQL
}

# Issues FIRST..LAST (numbers): 1–10 KB Markdown descriptions (3 to 22 paragraphs), 40 % to do,
# 20 % in progress, 40 % done; 91 % assigned to one of the 50 users at random.
add_issues_sql() { # first last
  cat <<SQL
INSERT INTO issues (id, company_id, tracker_id, ext_key, title, description_md, criteria_md,
    status, status_category, priority, issue_type, labels_json, assignee_id, assignee_name,
    assignee_email, url, payload_json, external_updated_at, created_at, updated_at)
  SELECT gen_random_uuid(), t.company_id, t.id, t.prefix || '-' || s.g,
    format('Issue %s: %s', s.g, left(p.body, 40 + s.g % 50)),
    format(E'## Context\n\n%s\n\n## Notes\n\n- see %s-%s\n- owner: platform team\n',
      (SELECT string_agg(q.body, E'\n\n') FROM generate_series(1, 3 + (s.g * 7919) % 20) i
        JOIN bench_paragraphs q ON q.n = (s.g * 31 + i * 17) % 200),
      t.prefix, greatest(1, s.g - 1)),
    E'- [ ] The endpoint answers within budget\n- [ ] Errors are problem+json\n- [ ] Tests pass\n',
    (ARRAY['To Do', 'To Do', 'In Progress', 'Done', 'Done'])[1 + s.g % 5],
    (ARRAY['todo', 'todo', 'in_progress', 'done', 'done'])[1 + s.g % 5],
    (ARRAY['Highest', 'High', 'Medium', 'Low'])[1 + s.g % 4],
    (ARRAY['Story', 'Bug', 'Task'])[1 + s.g % 3],
    (ARRAY['["backend"]', '["backend","api"]', '["frontend","ux"]', '[]'])[1 + s.g % 4],
    u.id, u.name, u.email, t.base_url || '/browse/' || t.prefix || '-' || s.g,
    format('{"key":"%s-%s","fields":{"summary":"Issue %s"}}', t.prefix, s.g, s.g),
    now() - (s.g % 1000) * interval '1 hour', now(), now()
  FROM (SELECT g, floor(random() * 55)::int AS assignee FROM generate_series($1, $2) g) s
  JOIN bench_trackers t ON t.n = s.g % 2
  JOIN bench_paragraphs p ON p.n = s.g % 200
  LEFT JOIN bench_users u ON u.n = s.assignee;
SQL
}

# PROMPTS prompts (issue, template, creator distinct) with 4 versions each, then EVENTS
# generation events over the last 365 days pointing at those versions (about EVENTS/365 today).
add_prompts_sql() { # prompts
  cat <<SQL
DROP TABLE IF EXISTS bench_issues;
CREATE TABLE bench_issues AS SELECT id, company_id, row_number() OVER (ORDER BY ext_key) - 1 AS n
  FROM issues;
INSERT INTO prompts (id, company_id, issue_id, template_id, creator_id, created_at)
  SELECT gen_random_uuid(), i.company_id, i.id, t.id, u.id, now() - g * interval '1 minute'
  FROM generate_series(0, $1 - 1) g
  JOIN bench_issues i ON i.n = g % (SELECT count(*) FROM bench_issues)
  JOIN bench_templates t ON t.n = g % 20
  JOIN bench_users u ON u.n = (g / (SELECT count(*) FROM bench_issues) * 17 + g % 50) % 50;
INSERT INTO prompt_versions (id, prompt_id, company_id, creator_id, version, body_text,
    tokens_estimate, encoding, model, template_version_id, vars_json, issue_snapshot_sha256,
    created_at)
  SELECT gen_random_uuid(), p.id, p.company_id, p.creator_id, v,
    'You are a senior engineer working on this issue. ' || q.body || E'\n\n' || r.body,
    300 + (p.n * v) % 2000, 'o200k_base', 'gpt-4o', t.version_id,
    '{"audience":"backend team","tone":"concise"}', md5(p.id::text || v), p.created_at
  FROM (SELECT id, company_id, creator_id, template_id, created_at,
          row_number() OVER (ORDER BY id) AS n FROM prompts) p
  JOIN bench_templates t ON t.id = p.template_id
  JOIN bench_paragraphs q ON q.n = p.n % 200
  JOIN bench_paragraphs r ON r.n = (p.n * 3) % 200,
  generate_series(1, 4) v;
DROP TABLE IF EXISTS bench_versions;
CREATE TABLE bench_versions AS
  SELECT v.id, v.company_id, v.creator_id, p.template_id, row_number() OVER (ORDER BY v.id) - 1 AS n
  FROM prompt_versions v JOIN prompts p ON p.id = v.prompt_id;
SQL
}

add_events_sql() { # count
  cat <<SQL
INSERT INTO generation_events (id, company_id, prompt_version_id, template_id, user_id, tokens_in,
    tokens_out, ide, "timestamp")
  SELECT gen_random_uuid(), v.company_id, v.id, v.template_id, v.creator_id, 200 + (g * 37) % 3000,
    CASE WHEN g % 3 = 0 THEN NULL ELSE 100 + (g * 13) % 2000 END,
    (ARRAY['vscode', 'cursor', 'jetbrains', 'claude-code', NULL])[1 + g % 5],
    now() - random() * interval '365 days'
  FROM generate_series(0, $1 - 1) g
  JOIN bench_versions v ON v.n = g % (SELECT count(*) FROM bench_versions);
SQL
}

# COUNT unused refresh tokens `bench-refresh-N`, one session (family) each, for the refresh bench.
add_refresh_tokens_sql() { # count
  cat <<SQL
INSERT INTO refresh_token_families (id, user_id, created_at)
  SELECT md5('bench-family-' || g)::uuid, u.id, now()
  FROM generate_series(0, $1 - 1) g JOIN bench_users u ON u.n = g % 50;
INSERT INTO refresh_tokens (id, family_id, user_id, parent_id, token_hash, expires_at, created_at)
  SELECT md5('bench-token-' || g)::uuid, md5('bench-family-' || g)::uuid, u.id, NULL,
    encode(sha256(convert_to('bench-refresh-' || g, 'UTF8')), 'hex'), now() + interval '7 days',
    now()
  FROM generate_series(0, $1 - 1) g JOIN bench_users u ON u.n = g % 50;
SQL
}
