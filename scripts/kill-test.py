#!/usr/bin/env python3
"""No acknowledged write lost: SIGKILL `promptsmith serve` during a burst of concurrent
generations, then read the database it left and start the server on it again.

Every generation answered 201 must be stored, with the version id it was given; none answered
with an error may be; a request whose connection died with the server may go either way (the
client never learnt its outcome). Each request carries a unique marker in its variables, which
the stored version keeps in `vars_json`, so every answer can be matched to a row.

Half the clients generate prompts of many issues, the other half regenerate one prompt (one
issue × one template), the contended case. The server runs on the embedded SQLite database in
its folder, or on DATABASE_URL (a fresh PostgreSQL database) when set. PROMPTSMITH_BIN names the
binary. Loopback only: the issues come from the fake Jira of the browser tests.

    PROMPTSMITH_BIN=.build/debug/promptsmith python3 scripts/kill-test.py
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "browser"))
import fake_jira  # noqa: E402
from harness import Api, free_port  # noqa: E402

ADMIN_EMAIL = "admin@promptsmith.local"
ADMIN_PASSWORD = "kill-test-admin-password-1"
DEVELOPER = {"email": "dev@example.com", "name": "Dev", "role": "developer", "password": "dev-password-123"}
CLIENTS = 16
# Kill once this many generations were acknowledged (or after BURST_SECONDS), mid-burst.
ACKNOWLEDGED_BEFORE_KILL = 300
BURST_SECONDS = 5


def start_server(binary, work, port, database_url):
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update({
        "OUTBOUND_ONLY_ALLOWED": "true", "OUTBOUND_ALLOWED_HOSTS": "127.0.0.1", "OUTBOUND_ALLOW_HTTP": "true",
        "ADMIN_PASSWORD": ADMIN_PASSWORD, "LOG_LEVEL": "warning", "JOBS_POLL_INTERVAL_MS": "200",
        "LOGIN_MAX_FAILURES": "1000",
    })
    if database_url:
        env["DATABASE_URL"] = database_url
    log = open(os.path.join(work, "server.log"), "ab")
    process = subprocess.Popen(
        [binary, "serve", "--hostname", "127.0.0.1", "--port", str(port), "--with-worker"],
        cwd=work, env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            fail("the server exited with %s" % process.returncode, work)
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/ready" % port, timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            pass
        time.sleep(0.1)
    fail("the server did not become ready", work)


def fail(message, work=None):
    print("KILL TEST FAIL: " + message, file=sys.stderr)
    if work:
        try:
            with open(os.path.join(work, "server.log"), errors="replace") as f:
                sys.stderr.write("".join(f.readlines()[-30:]))
        except OSError:
            pass
    sys.exit(1)


def seed(api):
    """A developer, a synced Jira Cloud tracker and a template with a free-text variable."""
    admin = api.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    api.call("POST", "/users", DEVELOPER, token=admin, expect=201)
    developer = api.login(DEVELOPER["email"], DEVELOPER["password"])
    _, tracker, _ = api.call("POST", "/trackers", {
        "type": "jira-cloud", "name": "Shop", "baseUrl": seed.jira_url,
        "auth": {"kind": "apiToken", "email": fake_jira.CLOUD_EMAIL, "apiToken": fake_jira.CLOUD_TOKEN},
    }, token=admin, expect=201)
    _, queued, _ = api.call("POST", "/trackers/%s/sync" % tracker["id"], token=admin, expect=202)
    deadline = time.time() + 60
    while True:
        _, job, _ = api.call("GET", "/jobs/%s" % queued["jobId"], token=admin, expect=200)
        if job["state"] == "succeeded":
            break
        if job["state"] in ("dead", "cancelled") or time.time() > deadline:
            fail("the sync job ended %s" % job["state"])
        time.sleep(0.2)
    _, issues, _ = api.call("GET", "/issues?limit=100", token=developer, expect=200)
    if len(issues) < 2:
        fail("the sync stored %d issues" % len(issues))
    _, template, _ = api.call("POST", "/prompt-templates", {
        "name": "kill-test", "bodyMd": "# {{key}}: {{title}}\n\n{{description}}\n\nRun: {{notes}}\n",
        "lintJson": {"type": "object", "properties": {"notes": {"type": "string"}}, "required": ["notes"]},
    }, token=admin, expect=201)
    return developer, [issue["id"] for issue in issues], template["id"]


def burst(api, token, issue_ids, template_id, stop):
    """CLIENTS threads generating until `stop`; returns [(marker, status or None, versionId)]."""
    outcomes = []
    lock = threading.Lock()

    def client(number):
        sequence = 0
        while not stop.is_set():
            marker = "kill-%d-%d-%s" % (number, sequence, uuid.uuid4().hex)
            sequence += 1
            # even clients: one prompt regenerated; odd clients: many issues
            issue = issue_ids[0] if number % 2 == 0 else issue_ids[sequence % len(issue_ids)]
            body = {"issueId": issue, "templateId": template_id, "vars": {"notes": marker}}
            try:
                status, payload, _ = api.call("POST", "/prompts/generate", body, token=token)
                version = payload.get("promptVersionId") if isinstance(payload, dict) else None
            except (OSError, urllib.error.URLError, ValueError):
                status, version = None, None  # the connection died with the server
            with lock:
                outcomes.append((marker, status, version))

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    return threads, outcomes, lock


def stored_versions(work, database_url):
    """{marker: version id} of every stored prompt version, read without the server."""
    if database_url:
        rows = subprocess.run(
            ["psql", database_url, "-At", "-F", "\t", "-c", "SELECT id, vars_json FROM prompt_versions"],
            check=True, capture_output=True, text=True).stdout.splitlines()
        pairs = [row.split("\t", 1) for row in rows if row]
    else:
        connection = sqlite3.connect(os.path.join(work, "data", "promptsmith.sqlite"))
        pairs = connection.execute("SELECT id, vars_json FROM prompt_versions").fetchall()
        connection.close()
    stored = {}
    for version_id, vars_json in pairs:
        marker = json.loads(vars_json or "{}").get("notes")
        if marker:
            stored[marker] = str(version_id).lower()
    return stored


def main():
    binary = os.environ.get("PROMPTSMITH_BIN")
    if not binary or not os.access(binary, os.X_OK):
        fail("PROMPTSMITH_BIN must name the promptsmith binary (got %r)" % binary)
    database_url = os.environ.get("DATABASE_URL")
    label = "PostgreSQL" if database_url else "SQLite"
    jira = fake_jira.serve(0)
    threading.Thread(target=jira.serve_forever, daemon=True).start()
    seed.jira_url = "http://127.0.0.1:%d" % jira.server_address[1]
    work = tempfile.mkdtemp(prefix="promptsmith-kill.")
    port = free_port()
    server = start_server(binary, work, port, database_url)
    api = Api("http://127.0.0.1:%d" % port)
    developer, issue_ids, template_id = seed(api)

    stop = threading.Event()
    threads, outcomes, lock = burst(api, developer, issue_ids, template_id, stop)
    deadline = time.time() + BURST_SECONDS
    while time.time() < deadline:
        with lock:
            acknowledged = sum(1 for _, status, _ in outcomes if status == 201)
        if acknowledged >= ACKNOWLEDGED_BEFORE_KILL:
            break
        time.sleep(0.01)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    stop.set()
    for thread in threads:
        thread.join(timeout=35)

    stored = stored_versions(work, database_url)
    with lock:
        results = list(outcomes)
    acknowledged = {marker: version for marker, status, version in results if status == 201}
    refused = [(marker, status) for marker, status, _ in results if status is not None and status != 201]
    unknown = [marker for marker, status, _ in results if status is None]
    lost = [marker for marker in acknowledged if marker not in stored]
    wrong = [marker for marker, version in acknowledged.items() if marker in stored and stored[marker] != version]
    phantom = [marker for marker, _ in refused if marker in stored]
    print("   %s: %d generations acknowledged before SIGKILL, %d refused, %d cut off with the server; "
          "%d stored" % (label, len(acknowledged), len(refused), len(unknown), len(stored)))
    if len(acknowledged) < 20:
        fail("too few generations before the kill (%d) to test anything" % len(acknowledged), work)
    if lost:
        fail("%d acknowledged generations are not stored, e.g. %s" % (len(lost), lost[:3]), work)
    if wrong:
        fail("%d acknowledged generations are stored under another id, e.g. %s" % (len(wrong), wrong[:3]), work)
    if phantom:
        fail("%d refused generations are stored, e.g. %s" % (len(phantom), phantom[:3]), work)

    # The server starts again on what the kill left, and serves.
    server = start_server(binary, work, port, database_url)
    try:
        token = api.login(DEVELOPER["email"], DEVELOPER["password"])
        _, generated, _ = api.call("POST", "/prompts/generate", {
            "issueId": issue_ids[0], "templateId": template_id, "vars": {"notes": "after the restart"},
        }, token=token, expect=201)
        versions = [version for marker, version in stored.items()]
        if generated["promptVersionId"] in versions:
            fail("the restarted server reused a version id", work)
    finally:
        server.terminate()
        server.wait(timeout=30)
    jira.shutdown()
    print("   kill test passed on %s: every acknowledged generation survived SIGKILL" % label)


if __name__ == "__main__":
    main()
