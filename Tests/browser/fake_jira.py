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


class FakeJira:
    def __init__(self):
        self.cloud, self.dc, self.cloud_fields, self.dc_fields = load_issues()
        self.lock = threading.Lock()
        self.requests = []

    def record(self, method, path, ok):
        with self.lock:
            self.requests.append({"method": method, "path": path, "authorized": ok})


def only_fields(issue, fields):
    """Like Jira: the issue with only the requested fields (all when none are named)."""
    result = {k: v for k, v in issue.items() if k != "fields"}
    wanted = [f for f in fields if f]
    if not wanted or "*all" in wanted:
        result["fields"] = copy.deepcopy(issue["fields"])
    else:
        result["fields"] = {k: copy.deepcopy(v) for k, v in issue["fields"].items() if k in wanted}
    return result


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeJira/1.0"
    protocol_version = "HTTP/1.1"

    @property
    def fake(self):
        return self.server.fake

    def log_message(self, fmt, *args):  # quiet unless asked
        if os.environ.get("FAKE_JIRA_VERBOSE"):
            sys.stderr.write("fake-jira: " + (fmt % args) + "\n")

    def send_json(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def jira_error(self, status, message):
        self.send_json(status, {"errorMessages": [message], "errors": {}})

    def base_url(self):
        host = self.headers.get("Host") or "127.0.0.1:%d" % self.server.server_address[1]
        return "http://" + host

    # Authentication, as each flavour checks it.
    def authorized(self, flavour):
        header = self.headers.get("Authorization", "")
        if flavour == "cloud":
            expected = base64.b64encode(("%s:%s" % (CLOUD_EMAIL, CLOUD_TOKEN)).encode()).decode()
            return header == "Basic " + expected
        return header == "Bearer " + DC_TOKEN

    def route(self, method):
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
        body = b""
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            body = self.rfile.read(length)
        if path == "/__fake/requests":
            with self.fake.lock:
                return self.send_json(200, list(self.fake.requests))
        if path.startswith("/rest/api/3/"):
            flavour, rest = "cloud", path[len("/rest/api/3/"):]
        elif path.startswith("/jira/rest/api/2/"):
            flavour, rest = "dc", path[len("/jira/rest/api/2/"):]
        else:
            return self.jira_error(404, "No such resource: " + path)
        ok = self.authorized(flavour)
        self.fake.record(method, self.path, ok)
        if not ok:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="fake-jira"' if flavour == "cloud" else "Bearer")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        issues = self.fake.cloud if flavour == "cloud" else self.fake.dc
        if method == "GET" and rest == "myself":
            if flavour == "cloud":
                return self.send_json(200, {
                    "accountId": "712020:sync-bot", "accountType": "atlassian",
                    "displayName": "Sync Bot", "emailAddress": CLOUD_EMAIL, "active": True,
                    "timeZone": "Europe/Paris",
                })
            return self.send_json(200, {
                "name": "sync-bot", "key": "JIRAUSER10001", "displayName": "Sync Bot",
                "emailAddress": "bot@acme-corp.example", "active": True, "timeZone": "Europe/Vienna",
            })
        if method == "GET" and rest == "serverInfo":
            return self.send_json(200, {
                "baseUrl": self.base_url() + ("" if flavour == "cloud" else "/jira"),
                "version": "1001.0.0-SNAPSHOT" if flavour == "cloud" else "9.12.4",
                "deploymentType": "Cloud" if flavour == "cloud" else "Server",
                "serverTitle": "Fake Jira",
            })
        if method == "GET" and rest == "field":
            return self.send_json(200, self.fake.cloud_fields if flavour == "cloud" else self.fake.dc_fields)
        if flavour == "cloud" and method == "POST" and rest == "search/jql":
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                return self.jira_error(400, "Invalid request payload. Refer to the REST API documentation and try again.")
            jql = (request.get("jql") or "").strip()
            if not jql or jql.upper().startswith("ORDER BY"):
                return self.jira_error(400, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.")
            fields = request.get("fields") or []
            size = max(1, min(int(request.get("maxResults") or 50), 5000))
            start = int(request.get("nextPageToken") or 0)
            page = issues[start:start + size]
            answer = {"issues": [only_fields(i, fields) for i in page]}
            if start + size < len(issues):
                answer["nextPageToken"] = str(start + size)
                answer["isLast"] = False
            else:
                answer["isLast"] = True
            return self.send_json(200, answer)
        if flavour == "dc" and method == "GET" and rest == "search":
            if not (query.get("jql") or [""])[0].strip():
                return self.jira_error(400, "jql is required")
            fields = ",".join(query.get("fields", [])).split(",")
            start = int((query.get("startAt") or ["0"])[0])
            size = max(1, min(int((query.get("maxResults") or ["50"])[0]), 1000))
            page = issues[start:start + size]
            return self.send_json(200, {
                "expand": "schema,names", "startAt": start, "maxResults": size,
                "total": len(issues), "issues": [only_fields(i, fields) for i in page],
            })
        if method == "GET" and rest.startswith("issue/"):
            key = unquote(rest[len("issue/"):])
            fields = ",".join(query.get("fields", [])).split(",")
            for issue in issues:
                if issue["key"] == key or issue["id"] == key:
                    return self.send_json(200, only_fields(issue, fields))
            return self.jira_error(404, "Issue does not exist or you do not have permission to see it.")
        return self.jira_error(404, "No such resource: " + path)

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")


def serve(port=0):
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
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
