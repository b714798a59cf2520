#!/usr/bin/env python3
"""A standalone fake Jira for the browser tests: Jira Cloud (REST v3) and Data Center (REST v2)
on one loopback HTTP server, speaking what Sources/Trackers/Jira sends and expects.

- Cloud, at the root (tracker baseUrl = http://127.0.0.1:PORT), HTTP Basic `email:apiToken`:
  `GET /rest/api/3/myself`, `GET /rest/api/3/field`, `POST /rest/api/3/search/jql`
  (`{jql, fields, maxResults, nextPageToken?}` → `{issues, nextPageToken?, isLast}`),
  `GET /rest/api/3/issue/{key}?fields=…`, `GET /rest/api/3/serverInfo`. Rich text is ADF.
- Data Center, under /jira (baseUrl = http://127.0.0.1:PORT/jira), Bearer personal access token:
  `GET /jira/rest/api/2/myself`, `…/field`, `…/search?jql&startAt&maxResults&fields`
  (`{startAt, maxResults, total, issues}`), `…/issue/{key}`, `…/serverInfo`. Rich text is wiki
  markup.
- Two more Data Center sites for the admin console's tests, each with issues of its own (so a
  tracker made in a test never duplicates another tracker's keys): /ops (OPS-…, a personal access
  token or HTTP Basic `username:password`) and /flaky (FLK-…, a personal access token), which
  answers 500 to everything while it is broken (`FakeJira.set_broken("flaky", True)`, or
  `POST /__fake/broken {"site": "flaky", "broken": true}`).

`JiraSite` and `answer()` are shared with fake_atlassian.py, which serves a Jira Cloud site
through `api.atlassian.com/ex/jira/{cloudId}` to OAuth 2.0 bearer tokens.

Issues are the Trackers tests' recorded fixtures (Tests/TrackersTests/Fixtures) plus the ones
seeded here, among them SHOP-666 whose description holds `<script>`, an `onerror` image and
`javascript:` links (the console must render them inert). Like Jira, a search answers only the
fields asked for. Python standard library only.

Run: `python3 fake_jira.py [--port N] [--port-file FILE]`; prints `READY http://127.0.0.1:PORT`.
`GET /__fake/requests` lists the requests seen (method, path, auth ok) for debugging.
"""

import argparse
import base64
import copy
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "TrackersTests", "Fixtures")

CLOUD_EMAIL = "bot@acme-shop.example"
CLOUD_TOKEN = "cloud-api-token"
DC_TOKEN = "dc-personal-access-token"
# /ops: a Data Center site of its own (a PAT or HTTP Basic), for the tracker the console creates.
OPS_PREFIX = "/ops"
OPS_TOKEN = "ops-personal-access-token"
OPS_USER = "ops-sync"
OPS_PASSWORD = "ops-sync-password-1"
OPS_KEYS = ("OPS-11", "OPS-12")
# /flaky: a Data Center site that answers 500 to everything while broken.
FLAKY_PREFIX = "/flaky"
FLAKY_TOKEN = "flaky-personal-access-token"
FLAKY_KEYS = ("FLK-1",)
CLOUD_CRITERIA = "customfield_10047"
DC_CRITERIA = "customfield_10500"

HOSTILE_KEY = "SHOP-666"
HOSTILE_TITLE = "Render untrusted descriptions safely"


def _text(text, marks=None):
    node = {"type": "text", "text": text}
    if marks:
        node["marks"] = marks
    return node


def _para(*inline):
    return {"type": "paragraph", "content": list(inline)}


def _doc(*blocks):
    return {"type": "doc", "version": 1, "content": list(blocks)}


def _bullets(*items):
    return {
        "type": "bulletList",
        "content": [{"type": "listItem", "content": [_para(_text(item))]} for item in items],
    }


def _status(name, category_key, category_id):
    return {
        "name": name,
        "id": str(category_id),
        "statusCategory": {"id": category_id, "key": category_key, "name": name},
    }


def seeded_cloud_issues():
    """Issues this fake adds to the recorded ones: the hostile one and a plain Markdown one."""
    developer = {
        "accountId": "712020:dev-0001",
        "displayName": "Dana Developer",
        "emailAddress": "developer@example.com",
        "active": True,
        "timeZone": "Europe/Vienna",
    }
    hostile = {
        "id": "10666",
        "key": HOSTILE_KEY,
        "fields": {
            "summary": HOSTILE_TITLE,
            "issuetype": {"id": "10004", "name": "Bug", "subtask": False},
            "project": {"id": "10002", "key": "SHOP", "name": "Webshop"},
            "status": _status("To Do", "new", 2),
            "priority": {"id": "2", "name": "High"},
            "assignee": developer,
            "reporter": developer,
            "labels": ["security"],
            "created": "2025-06-03T08:00:00.000+0200",
            "updated": "2025-06-03T08:30:00.000+0200",
            "description": _doc(
                {"type": "heading", "attrs": {"level": 2}, "content": [_text("Reproduction")]},
                _para(_text("Paste this into the comment box: "), _text("<script>alert(1)</script>")),
                _para(_text("<img src=x onerror=alert(2)>")),
                _para(
                    _text("Then "),
                    _text("click me", [{"type": "link", "attrs": {"href": "javascript:alert(3)"}}]),
                    _text(" and "),
                    _text("this one too", [{"type": "link", "attrs": {"href": "JaVaScRiPt:alert(4)"}}]),
                    _text("."),
                ),
                _para({"type": "inlineCard", "attrs": {"url": "javascript:alert(5)"}}),
                _para(
                    _text("Expected: the text shows as text, "),
                    _text("nothing", [{"type": "strong"}]),
                    _text(" runs."),
                ),
                {
                    "type": "codeBlock",
                    "attrs": {"language": "html"},
                    "content": [_text('<script>alert("in code")</script>')],
                },
            ),
            CLOUD_CRITERIA: _doc(
                _bullets(
                    "No <script> element is created from tracker content",
                    "javascript: links are not clickable",
                )
            ),
        },
    }
    plain = {
        "id": "10700",
        "key": "SHOP-700",
        "fields": {
            "summary": "Export the order history as CSV",
            "issuetype": {"id": "10004", "name": "Story", "subtask": False},
            "project": {"id": "10002", "key": "SHOP", "name": "Webshop"},
            "status": _status("To Do", "new", 2),
            "priority": {"id": "3", "name": "Medium"},
            "assignee": developer,
            "reporter": developer,
            "labels": ["orders", "export"],
            "created": "2025-06-03T09:00:00.000+0200",
            "updated": "2025-06-03T09:10:00.000+0200",
            "description": _doc(
                {"type": "heading", "attrs": {"level": 2}, "content": [_text("Goal")]},
                _para(
                    _text("Customers want their "),
                    _text("order history", [{"type": "strong"}]),
                    _text(" as a "),
                    _text("CSV", [{"type": "em"}]),
                    _text(" file from "),
                    _text("/account/orders", [{"type": "code"}]),
                    _text("."),
                ),
                _bullets("One row per order line", "UTF-8 with a header row", "Dates in ISO 8601"),
            ),
            CLOUD_CRITERIA: _doc(
                {
                    "type": "orderedList",
                    "attrs": {"order": 1},
                    "content": [
                        {"type": "listItem", "content": [_para(_text(t))]}
                        for t in (
                            "The export button downloads orders.csv",
                            "A customer without orders gets a header row only",
                        )
                    ],
                }
            ),
        },
    }
    return [plain, hostile]


def dc_issue(number, key, project, summary, description, criteria, status=("To Do", "new", 2),
             updated="2025-06-04T10:00:00.000+0200"):
    """A Data Center issue (REST v2: rich text is wiki markup) with the fields the sync asks for."""
    person = {"name": "ops-dev", "key": "JIRAUSER20001", "displayName": "Olga Ops",
              "emailAddress": "olga.ops@acme-corp.example", "active": True, "timeZone": "Europe/Vienna"}
    return {
        "id": str(number),
        "key": key,
        "fields": {
            "summary": summary,
            "issuetype": {"id": "10001", "name": "Story", "subtask": False},
            "project": {"id": "10300", "key": project, "name": project.title()},
            "status": _status(*status),
            "priority": {"id": "3", "name": "Major"},
            "assignee": person,
            "reporter": person,
            "labels": [project.lower()],
            "created": "2025-06-04T09:00:00.000+0200",
            "updated": updated,
            "description": description,
            DC_CRITERIA: criteria,
        },
    }


def ops_issues():
    return [
        dc_issue(52011, "OPS-11", "OPS", "Rotate the backup encryption key every 90 days",
                 "h2. Why\nThe backup key has not changed since *2023*.\n\n* automate the rotation\n* keep the old key for restores",
                 "# A new key is created every 90 days.\n# Restores of older backups still work."),
        dc_issue(52012, "OPS-12", "OPS", "Alert when the nightly export takes over an hour",
                 "The nightly export sometimes runs for _three_ hours unnoticed.",
                 "# An alert fires after 60 minutes.", status=("In Progress", "indeterminate", 4)),
    ]


def flaky_issues():
    return [
        dc_issue(53001, "FLK-1", "FLK", "Retry the ledger import after a timeout",
                 "The ledger import gives up after the first timeout.",
                 "# A timed-out import is tried again."),
    ]


def load_issues():
    cloud, dc = [], []
    for name in ("search-jql-page-1.json", "search-jql-page-2.json"):
        with open(os.path.join(FIXTURES, "jira-cloud", name), encoding="utf-8") as f:
            cloud.extend(json.load(f)["issues"])
    cloud.extend(seeded_cloud_issues())
    with open(os.path.join(FIXTURES, "jira-dc", "search-v2-page.json"), encoding="utf-8") as f:
        dc.extend(json.load(f)["issues"])
    with open(os.path.join(FIXTURES, "jira-cloud", "field.json"), encoding="utf-8") as f:
        cloud_fields = json.load(f)
    dc_fields = [
        {"id": "summary", "name": "Summary", "custom": False, "schema": {"type": "string", "system": "summary"}},
        {"id": "description", "name": "Description", "custom": False, "schema": {"type": "string", "system": "description"}},
        {
            "id": DC_CRITERIA,
            "name": "Acceptance Criteria",
            "custom": True,
            "schema": {
                "type": "string",
                "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textarea",
                "customId": 10500,
            },
        },
    ]
    return cloud, dc, cloud_fields, dc_fields


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


class JiraSite:
    """One Jira site: where its REST API lives, who may call it, its issues and fields.

    `flavour` is "cloud" (REST v3, enhanced JQL search) or "dc" (REST v2, offset search);
    `authorizations` lists the accepted `Authorization` header values, or is a callable that
    judges a header; `myself` is the account `/myself` answers with."""

    def __init__(self, name, api_prefix, flavour, issues, fields, authorizations, myself, site_path=""):
        self.name = name
        self.api_prefix = api_prefix  # e.g. "/jira/rest/api/2/"
        self.flavour = flavour
        self.issues = issues
        self.fields = fields
        self.authorizations = authorizations
        self.myself = myself
        self.site_path = site_path  # the site URL's path after the host, for serverInfo
        self.broken = False

    def authorized(self, header):
        if callable(self.authorizations):
            return self.authorizations(header)
        return header in self.authorizations

    def challenge(self):
        return 'Basic realm="fake-jira"' if self.flavour == "cloud" else "Bearer"


CLOUD_MYSELF = {
    "accountId": "712020:sync-bot", "accountType": "atlassian", "displayName": "Sync Bot",
    "emailAddress": CLOUD_EMAIL, "active": True, "timeZone": "Europe/Paris",
}
DC_MYSELF = {
    "name": "sync-bot", "key": "JIRAUSER10001", "displayName": "Sync Bot",
    "emailAddress": "bot@acme-corp.example", "active": True, "timeZone": "Europe/Vienna",
}
OPS_MYSELF = {
    "name": OPS_USER, "key": "JIRAUSER20002", "displayName": "Ops Sync",
    "emailAddress": "ops-sync@acme-corp.example", "active": True, "timeZone": "Europe/Vienna",
}


class FakeJira:
    def __init__(self):
        self.cloud, self.dc, self.cloud_fields, self.dc_fields = load_issues()
        self.lock = threading.Lock()
        self.requests = []
        # Longest prefix first, so /jira/… never shadows anything and the root Cloud site is last.
        self.sites = [
            JiraSite("billing", "/jira/rest/api/2/", "dc", self.dc, self.dc_fields,
                     ["Bearer " + DC_TOKEN], DC_MYSELF, "/jira"),
            JiraSite("ops", OPS_PREFIX + "/rest/api/2/", "dc", ops_issues(), self.dc_fields,
                     ["Bearer " + OPS_TOKEN, basic(OPS_USER, OPS_PASSWORD)], OPS_MYSELF, OPS_PREFIX),
            JiraSite("flaky", FLAKY_PREFIX + "/rest/api/2/", "dc", flaky_issues(), self.dc_fields,
                     ["Bearer " + FLAKY_TOKEN], DC_MYSELF, FLAKY_PREFIX),
            JiraSite("webshop", "/rest/api/3/", "cloud", self.cloud, self.cloud_fields,
                     [basic(CLOUD_EMAIL, CLOUD_TOKEN)], CLOUD_MYSELF, ""),
        ]

    def site(self, name):
        return next(site for site in self.sites if site.name == name)

    def set_broken(self, name, broken=True):
        """A broken site answers 500 to every request (a tracker outage)."""
        self.site(name).broken = broken

    def record(self, method, path, ok, site=None):
        with self.lock:
            self.requests.append({"method": method, "path": path, "authorized": ok, "site": site})

    def requests_to(self, site):
        with self.lock:
            return [r for r in self.requests if r.get("site") == site]


def only_fields(issue, fields):
    """Like Jira: the issue with only the requested fields (all when none are named)."""
    result = {k: v for k, v in issue.items() if k != "fields"}
    wanted = [f for f in fields if f]
    if not wanted or "*all" in wanted:
        result["fields"] = copy.deepcopy(issue["fields"])
    else:
        result["fields"] = {k: copy.deepcopy(v) for k, v in issue["fields"].items() if k in wanted}
    return result


def answer(handler, site, method, rest, query, body, site_url):
    """Answers one authorised Jira REST call `rest` (the path after …/rest/api/N/) for `site`."""
    issues = site.issues
    if method == "GET" and rest == "myself":
        return handler.send_json(200, site.myself)
    if method == "GET" and rest == "serverInfo":
        return handler.send_json(200, {
            "baseUrl": site_url,
            "version": "1001.0.0-SNAPSHOT" if site.flavour == "cloud" else "9.12.4",
            "deploymentType": "Cloud" if site.flavour == "cloud" else "Server",
            "serverTitle": "Fake Jira",
        })
    if method == "GET" and rest == "field":
        return handler.send_json(200, site.fields)
    if site.flavour == "cloud" and method == "POST" and rest == "search/jql":
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return handler.jira_error(400, "Invalid request payload. Refer to the REST API documentation and try again.")
        jql = (request.get("jql") or "").strip()
        if not jql or jql.upper().startswith("ORDER BY"):
            return handler.jira_error(400, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.")
        fields = request.get("fields") or []
        size = max(1, min(int(request.get("maxResults") or 50), 5000))
        start = int(request.get("nextPageToken") or 0)
        page = issues[start:start + size]
        result = {"issues": [only_fields(i, fields) for i in page]}
        if start + size < len(issues):
            result["nextPageToken"] = str(start + size)
            result["isLast"] = False
        else:
            result["isLast"] = True
        return handler.send_json(200, result)
    if site.flavour == "cloud" and rest == "search":
        return handler.jira_error(410, "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.")
    if site.flavour == "dc" and method == "GET" and rest == "search":
        if not (query.get("jql") or [""])[0].strip():
            return handler.jira_error(400, "jql is required")
        fields = ",".join(query.get("fields", [])).split(",")
        start = int((query.get("startAt") or ["0"])[0])
        size = max(1, min(int((query.get("maxResults") or ["50"])[0]), 1000))
        page = issues[start:start + size]
        return handler.send_json(200, {
            "expand": "schema,names", "startAt": start, "maxResults": size,
            "total": len(issues), "issues": [only_fields(i, fields) for i in page],
        })
    if method == "GET" and rest.startswith("issue/"):
        key = unquote(rest[len("issue/"):])
        fields = ",".join(query.get("fields", [])).split(",")
        for issue in issues:
            if issue["key"] == key or issue["id"] == key:
                return handler.send_json(200, only_fields(issue, fields))
        return handler.jira_error(404, "Issue does not exist or you do not have permission to see it.")
    return handler.jira_error(404, "No such resource: " + rest)


class JiraHandler(BaseHTTPRequestHandler):
    """JSON helpers shared by the fake Jira and the fake Atlassian."""

    protocol_version = "HTTP/1.1"
    log_prefix = "fake-jira"

    def log_message(self, fmt, *args):  # quiet unless asked
        if os.environ.get("FAKE_JIRA_VERBOSE"):
            sys.stderr.write("%s: %s\n" % (self.log_prefix, fmt % args))

    def send_json(self, status, body, headers=None):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def send_empty(self, status, headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def jira_error(self, status, message):
        self.send_json(status, {"errorMessages": [message], "errors": {}})

    def own_url(self):
        host = self.headers.get("Host") or "127.0.0.1:%d" % self.server.server_address[1]
        return "http://" + host

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""


class Handler(JiraHandler):
    server_version = "FakeJira/1.0"

    @property
    def fake(self):
        return self.server.fake

    def route(self, method):
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
        body = self.read_body()
        if path == "/__fake/requests":
            with self.fake.lock:
                return self.send_json(200, list(self.fake.requests))
        if path == "/__fake/broken" and method == "POST":
            request = json.loads(body or b"{}")
            self.fake.set_broken(request["site"], bool(request.get("broken", True)))
            return self.send_json(200, {"site": request["site"], "broken": bool(request.get("broken", True))})
        site = next((s for s in self.fake.sites if path.startswith(s.api_prefix)), None)
        if site is None:
            return self.jira_error(404, "No such resource: " + path)
        rest = path[len(site.api_prefix):]
        if site.broken:
            self.fake.record(method, self.path, None, site.name)
            return self.send_json(500, {"errorMessages": ["Internal server error"], "errors": {}})
        ok = site.authorized(self.headers.get("Authorization", ""))
        self.fake.record(method, self.path, ok, site.name)
        if not ok:
            return self.send_empty(401, {"WWW-Authenticate": site.challenge()})
        return answer(self, site, method, rest, query, body, self.own_url() + site.site_path)

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")


class QuietServer(ThreadingHTTPServer):
    """A threading server that does not print a traceback when a client drops a kept-alive
    connection (the server under test stopping)."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def serve(port=0):
    server = QuietServer(("127.0.0.1", port), Handler)
    server.fake = FakeJira()
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    args = parser.parse_args()
    server = serve(args.port)
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(port))
        os.replace(tmp, args.port_file)
    print("READY http://127.0.0.1:%d" % port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
