#!/usr/bin/env python3
"""Seeds the same company as bench/seed_postgres.sh into a migrated, bootstrapped SQLite file.

Usage: seed_sqlite.py DB ISSUES PROMPTS EVENTS REFRESH_TOKENS
Values are stored the way the server's own rows are (checked on the bootstrap company): UUIDs as
upper-case text, dates as seconds since 1970, booleans as 0/1.
"""
import hashlib
import json
import random
import sqlite3
import sys
import time
import uuid

path, issue_count, prompt_count, event_count, refresh_count = sys.argv[1], *map(int, sys.argv[2:6])
random.seed(42)
db = sqlite3.connect(path)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=OFF")

kind, sample = db.execute("SELECT typeof(id), id FROM companies").fetchone()
date_kind = db.execute("SELECT typeof(created_at) FROM companies").fetchone()[0]
if kind != "text" or sample != sample.upper() or date_kind not in ("real", "integer"):
    sys.exit(f"unexpected storage: id {kind} {sample!r}, created_at {date_kind}")


def new_id():
    return str(uuid.uuid4()).upper()


def md5_uuid(text):
    return str(uuid.UUID(hashlib.md5(text.encode()).hexdigest())).upper()


now = time.time()
company, admin_id, admin_hash = db.execute(
    "SELECT company_id, id, password_hash FROM users WHERE email = 'admin@promptsmith.local'"
).fetchone()

words = ("the request handler should return a paginated list of issues when user opens dashboard "
         "and token expires refresh session database migration index query latency cache must not "
         "block event loop error is logged with request id template renders prompt for assistant in "
         "IDE acceptance criteria are met tests cover edge cases API returns 404 if missing field "
         "validation fails on empty input `GET /issues` `tokens_in` **must** _optional_ JSON payload "
         "Jira webhook retries backoff").split(" ")
paragraphs = [" ".join(random.choice(words) for _ in range(45 + p % 40)) + "."
              for p in range(200)]

users = []
for g in range(1, 51):
    user_id = new_id()
    email, name = f"user{g:02d}@bench.example", f"Bench User {g}"
    users.append((user_id, email, name))
    db.execute(
        "INSERT INTO users (id, company_id, email, name, role, password_hash, disabled, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
        (user_id, company, email, name, "lead" if g <= 5 else "developer", admin_hash, now))

trackers = []
for kind_name, name, url, prefix in (("jira-cloud", "Jira", "https://bench.atlassian.net", "PS"),
                                     ("teamwork", "Teamwork", "https://bench.teamwork.com", "TW")):
    tracker_id = new_id()
    trackers.append((tracker_id, url, prefix))
    db.execute(
        "INSERT INTO trackers (id, company_id, type, name, base_url, created_at, "
        "sync_interval_minutes, last_sync_at, needs_reauth) VALUES (?, ?, ?, ?, ?, ?, 1440, ?, 0)",
        (tracker_id, company, kind_name, name, url, now, now))

templates = []
for g in range(1, 21):
    template_id, version_id = new_id(), new_id()
    body = ("You are a senior engineer working on {{key}} ({{type}}, priority {{priority}}) from "
            "{{tracker}}.\n\n# {{title}}\n\n{{description}}\n\n## Acceptance criteria\n\n"
            "{{criteria}}\n\n{{#if labels}}Labels: {{#each labels}}{{this}} {{/each}}{{/if}}\n\n"
            "Write for the {{audience}}; keep the tone {{tone}}. "
            f"Variant {g}: {paragraphs[g * 7]}\n")
    templates.append((template_id, version_id))
    db.execute(
        "INSERT INTO prompt_templates (id, company_id, name, body_md, latest_version, created_by, "
        "created_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
        (template_id, company, f"template-{g:02d}", body, admin_id, now))
    db.execute(
        "INSERT INTO prompt_template_versions (id, template_id, version, body_md, content_hash, "
        "created_by, created_at) VALUES (?, ?, 1, ?, ?, ?, ?)",
        (version_id, template_id, body, hashlib.md5(body.encode()).hexdigest(), admin_id, now))

statuses = [("To Do", "todo"), ("To Do", "todo"), ("In Progress", "in_progress"), ("Done", "done"),
            ("Done", "done")]
labels = ['["backend"]', '["backend","api"]', '["frontend","ux"]', "[]"]


def issue_rows():
    for g in range(1, issue_count + 1):
        tracker_id, url, prefix = trackers[g % 2]
        assignee = random.randrange(55)
        user = users[assignee] if assignee < 50 else (None, None, None)
        description = "## Context\n\n" + "\n\n".join(
            paragraphs[(g * 31 + i * 17) % 200] for i in range(1, 4 + (g * 7919) % 20)
        ) + f"\n\n## Notes\n\n- see {prefix}-{max(1, g - 1)}\n- owner: platform team\n"
        status, category = statuses[g % 5]
        yield (new_id(), company, tracker_id, f"{prefix}-{g}",
               f"Issue {g}: {paragraphs[g % 200][:40 + g % 50]}", description,
               "- [ ] The endpoint answers within budget\n- [ ] Errors are problem+json\n"
               "- [ ] Tests pass\n", status, category, ["Highest", "High", "Medium", "Low"][g % 4],
               ["Story", "Bug", "Task"][g % 3], labels[g % 4], user[0], user[2], user[1],
               f"{url}/browse/{prefix}-{g}",
               json.dumps({"key": f"{prefix}-{g}", "fields": {"summary": f"Issue {g}"}}),
               now - (g % 1000) * 3600, now, now)


db.executemany(
    "INSERT INTO issues (id, company_id, tracker_id, ext_key, title, description_md, criteria_md, "
    "status, status_category, priority, issue_type, labels_json, assignee_id, assignee_name, "
    "assignee_email, url, payload_json, external_updated_at, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", issue_rows())
issues = [row[0] for row in db.execute("SELECT id FROM issues ORDER BY ext_key")]

versions = []  # (id, creator, template)
for g in range(prompt_count):
    prompt_id = new_id()
    template_id, template_version_id = templates[g % 20]
    creator = users[(g // len(issues) * 17 + g % 50) % 50][0]
    created = now - g * 60
    db.execute(
        "INSERT INTO prompts (id, company_id, issue_id, template_id, creator_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (prompt_id, company, issues[g % len(issues)], template_id, creator, created))
    for v in range(1, 5):
        version_id = new_id()
        versions.append((version_id, creator, template_id))
        db.execute(
            "INSERT INTO prompt_versions (id, prompt_id, company_id, creator_id, version, body_text, "
            "tokens_estimate, encoding, model, template_version_id, vars_json, "
            "issue_snapshot_sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'o200k_base', 'gpt-4o', "
            "?, ?, ?, ?)",
            (version_id, prompt_id, company, creator, v,
             "You are a senior engineer working on this issue. " + paragraphs[g % 200] + "\n\n"
             + paragraphs[(g * 3) % 200], 300 + (g * v) % 2000, template_version_id,
             '{"audience":"backend team","tone":"concise"}',
             hashlib.md5(f"{prompt_id}{v}".encode()).hexdigest(), created))

ides = ["vscode", "cursor", "jetbrains", "claude-code", None]


def event_rows():
    for g in range(event_count):
        version_id, creator, template_id = versions[g % len(versions)]
        yield (new_id(), company, version_id, template_id, creator, 200 + (g * 37) % 3000,
               None if g % 3 == 0 else 100 + (g * 13) % 2000, ides[g % 5],
               now - random.random() * 365 * 86400)


db.executemany(
    "INSERT INTO generation_events (id, company_id, prompt_version_id, template_id, user_id, "
    "tokens_in, tokens_out, ide, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", event_rows())

for g in range(refresh_count):
    user_id = users[g % 50][0]
    family = md5_uuid(f"bench-family-{g}")
    db.execute("INSERT INTO refresh_token_families (id, user_id, created_at) VALUES (?, ?, ?)",
               (family, user_id, now))
    db.execute(
        "INSERT INTO refresh_tokens (id, family_id, user_id, parent_id, token_hash, expires_at, "
        "created_at) VALUES (?, ?, ?, NULL, ?, ?, ?)",
        (md5_uuid(f"bench-token-{g}"), family, user_id,
         hashlib.sha256(f"bench-refresh-{g}".encode()).hexdigest(), now + 7 * 86400, now))
db.commit()
db.execute("ANALYZE")
db.commit()
db.close()
