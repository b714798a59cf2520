#!/usr/bin/env python3
"""A standalone fake Atlassian for the browser tests: the OAuth 2.0 (3LO) authorization server
(`auth.atlassian.com`) and the API gateway (`api.atlassian.com`) on one loopback HTTP server,
speaking what Sources/Trackers/Jira/AtlassianOAuth.swift and JiraCloudClient.swift send.
The server under test points `ATLASSIAN_AUTH_URL` and `ATLASSIAN_API_URL` at it.

- `GET /authorize?audience=api.atlassian.com&client_id&scope&redirect_uri&state&response_type=code
  &prompt=consent` — Atlassian's consent step, consenting at once: 302 to `redirect_uri` with a
  single-use `code` (10 minutes) and the same `state`. A wrong client id, audience, response type,
  redirect URI (when one is registered) or a scope without `offline_access` gets a 400 page, as
  Atlassian shows one instead of redirecting. `FakeAtlassian.deny = True` makes the user refuse:
  302 with `error=access_denied` and the state.
- `POST /oauth/token` (JSON, or a form) with the client id and secret:
  `grant_type=authorization_code` (`code`, `redirect_uri` equal to the authorize request's) and
  `grant_type=refresh_token` (rotating: every refresh returns a new refresh token and the one
  sent stops working) → `{access_token, refresh_token, expires_in, scope, token_type}`. A wrong
  client: 401 `invalid_client`; a used, unknown or expired code or refresh token: 403
  `invalid_grant`.
- `GET /oauth/token/accessible-resources` (Bearer access token) → the one site:
  `[{id: cloudId, url: site_url, name, scopes, avatarUrl}]`.
- `/ex/jira/{cloudId}/rest/api/3/…` (Bearer access token): the Jira Cloud REST API of that site
  (myself, field, serverInfo, `POST search/jql`, issue/{key}) with issues of its own (MOB-…),
  answered by fake_jira's `answer()`. An expired or revoked access token gets 401 (the client
  then refreshes once); another cloud id gets 404.

The site URL (the tracker's `baseUrl`, whose host the server compares with the tracker's) is
this server's own URL unless `site_url` is given. Python standard library only.

Run: `python3 fake_atlassian.py [--port N] [--client-id ID] [--client-secret S] [--redirect-uri U]`;
prints `READY http://127.0.0.1:PORT`. `GET /__fake/requests` lists the requests seen.
"""

import argparse
import json
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import fake_jira
from fake_jira import CLOUD_CRITERIA, JiraHandler, JiraSite, QuietServer, _bullets, _doc, _para, _status, _text

CLIENT_ID = "promptsmith-browser-tests"
CLIENT_SECRET = "fake-atlassian-client-secret"
CLOUD_ID = "0c5e7a9b-3d21-4f6e-8a4b-5f0d2c9e1b77"
SITE_NAME = "acme-mobile"
SCOPES = ["read:jira-work", "read:jira-user", "manage:jira-webhook", "offline_access"]
OAUTH_KEYS = ("MOB-1", "MOB-2", "MOB-3")
CODE_LIFETIME = 600


def oauth_issues():
    """The site's issues: a project of its own (MOB), so they never collide with the others."""
    person = {"accountId": "712020:mob-0001", "displayName": "Mo Bile", "emailAddress": "mo@acme-mobile.example",
              "active": True, "timeZone": "Europe/Berlin"}

    def issue(number, key, summary, description, criteria, status=("To Do", "new", 2)):
        return {
            "id": str(number),
            "key": key,
            "fields": {
                "summary": summary,
                "issuetype": {"id": "10004", "name": "Story", "subtask": False},
                "project": {"id": "10400", "key": "MOB", "name": "Mobile app"},
                "status": _status(*status),
                "priority": {"id": "3", "name": "Medium"},
                "assignee": person,
                "reporter": person,
                "labels": ["mobile"],
                "created": "2025-06-05T08:00:00.000+0200",
                "updated": "2025-06-05T08:%02d:00.000+0200" % (number % 60),
                "description": description,
                CLOUD_CRITERIA: criteria,
            },
        }

    return [
        issue(20001, "MOB-1", "Offline mode for the order list",
              _doc(_para(_text("Show the last "), _text("50 orders", [{"type": "strong"}]), _text(" without a network."))),
              _doc(_bullets("The list opens in airplane mode", "A banner says the data may be old"))),
        issue(20002, "MOB-2", "Push notification when an order ships",
              _doc(_para(_text("One notification per shipment, deep-linking to the order."))),
              _doc(_bullets("Tapping it opens the order"))),
        issue(20003, "MOB-3", "Dark mode follows the system setting",
              _doc(_para(_text("Use the platform's appearance API."))),
              _doc(_bullets("Switching the system setting switches the app")), status=("Done", "done", 3)),
    ]


class FakeAtlassian:
    """The authorization server's and the gateway's state: codes, tokens, the one site."""

    def __init__(self, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uri=None, site_url=None,
                 access_lifetime=3600):
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri  # when set, the only redirect URI the app registered
        self.site_url = site_url  # None: this server's own URL
        self.access_lifetime = access_lifetime
        self.deny = False
        self.lock = threading.Lock()
        self.codes = {}  # code → {redirect_uri, scope, expires, used}
        self.access_tokens = {}  # token → {expires, scope}
        self.refresh_tokens = {}  # token → {scope, revoked}
        self.requests = []
        self.grants = []  # grant types of the token requests that succeeded, in order
        _, _, cloud_fields, _ = fake_jira.load_issues()
        self.jira = JiraSite("oauth", "", "cloud", oauth_issues(), cloud_fields, self.access_token_valid,
                             {"accountId": "712020:oauth-admin", "accountType": "atlassian",
                              "displayName": "OAuth Admin", "emailAddress": "admin@acme-mobile.example",
                              "active": True, "timeZone": "Europe/Berlin"})

    # -- tokens ---------------------------------------------------------------------------------
    def issue_code(self, redirect_uri, scope):
        code = "code-" + secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = {"redirect_uri": redirect_uri, "scope": scope,
                                "expires": time.time() + CODE_LIFETIME, "used": False}
        return code

    def issue_tokens(self, scope, grant):
        access = "at-" + secrets.token_urlsafe(24)
        refresh = "rt-" + secrets.token_urlsafe(24)
        with self.lock:
            self.access_tokens[access] = {"expires": time.time() + self.access_lifetime, "scope": scope}
            self.refresh_tokens[refresh] = {"scope": scope, "revoked": False}
            self.grants.append(grant)
        return {"access_token": access, "refresh_token": refresh, "expires_in": self.access_lifetime,
                "scope": scope, "token_type": "Bearer"}

    def access_token_valid(self, header):
        if not header.startswith("Bearer "):
            return False
        with self.lock:
            token = self.access_tokens.get(header[len("Bearer "):])
            return token is not None and token["expires"] > time.time()

    def expire_access_tokens(self):
        """Every access token given so far stops working (the next API call gets 401)."""
        with self.lock:
            for token in self.access_tokens.values():
                token["expires"] = 0

    def secrets(self):
        """Every access and refresh token given out (none may ever reach a page)."""
        with self.lock:
            return list(self.access_tokens) + list(self.refresh_tokens)

    def record(self, method, path, status):
        with self.lock:
            self.requests.append({"method": method, "path": path, "status": status})

    def requests_to(self, prefix):
        with self.lock:
            return [r for r in self.requests if r["path"].startswith(prefix)]

    def site(self, own_url):
        return {"id": CLOUD_ID, "url": self.site_url or own_url, "name": SITE_NAME, "scopes": SCOPES[:3],
                "avatarUrl": (self.site_url or own_url) + "/avatar.png"}


class Handler(JiraHandler):
    server_version = "FakeAtlassian/1.0"
    log_prefix = "fake-atlassian"

    @property
    def fake(self):
        return self.server.fake

    def send_json(self, status, body, headers=None):
        self.fake.record(self.command, urlsplit(self.path).path, status)
        super().send_json(status, body, headers)

    def send_empty(self, status, headers=None):
        self.fake.record(self.command, urlsplit(self.path).path, status)
        super().send_empty(status, headers)

    def page(self, status, text):
        """An HTML page, as Atlassian shows for a request it will not redirect."""
        self.fake.record(self.command, urlsplit(self.path).path, status)
        data = ("<!doctype html><html lang=en><title>Atlassian</title><h1>Something went wrong</h1><p>%s</p>"
                % text.replace("&", "&amp;").replace("<", "&lt;")).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def oauth_error(self, status, error, description):
        self.send_json(status, {"error": error, "error_description": description})

    # -- routes ---------------------------------------------------------------------------------
    def route(self):
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
        body = self.read_body()
        if path == "/__fake/requests":
            with self.fake.lock:
                return super().send_json(200, list(self.fake.requests))
        if path == "/authorize" and self.command == "GET":
            return self.authorize(query)
        if path == "/oauth/token" and self.command == "POST":
            return self.token(body)
        if path == "/oauth/token/accessible-resources" and self.command == "GET":
            if not self.fake.access_token_valid(self.headers.get("Authorization", "")):
                return self.send_json(401, {"code": 401, "message": "Unauthorized"})
            return self.send_json(200, [self.fake.site(self.own_url())])
        prefix = "/ex/jira/"
        if path.startswith(prefix):
            cloud_id, _, rest = path[len(prefix):].partition("/")
            if not rest.startswith("rest/api/3/"):
                return self.jira_error(404, "No such resource: " + path)
            if not self.fake.access_token_valid(self.headers.get("Authorization", "")):
                return self.send_json(401, {"code": 401, "message": "Unauthorized; scope does not match"})
            if cloud_id != CLOUD_ID:
                return self.send_json(404, {"errorMessages": ["Site temporarily unavailable"]})
            site = self.fake.jira
            return fake_jira.answer(self, site, self.command, rest[len("rest/api/3/"):], query, body,
                                    self.fake.site(self.own_url())["url"])
        return self.send_json(404, {"error": "not_found", "error_description": "No such resource: " + path})

    def authorize(self, query):
        def one(name):
            values = query.get(name) or [""]
            return values[0]

        fake = self.fake
        if one("client_id") != fake.client_id:
            return self.page(400, "Invalid client_id: the app is not registered.")
        if one("audience") != "api.atlassian.com":
            return self.page(400, "audience must be api.atlassian.com")
        if one("response_type") != "code":
            return self.page(400, "Unsupported response_type.")
        redirect_uri = one("redirect_uri")
        parts = urlsplit(redirect_uri)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return self.page(400, "redirect_uri is not a URL.")
        if fake.redirect_uri is not None and redirect_uri != fake.redirect_uri:
            return self.page(400, "redirect_uri does not match the callback URL registered for the app.")
        state = one("state")
        if not state:
            return self.page(400, "state is required.")
        scope = one("scope")
        if "offline_access" not in scope.split():
            return self.page(400, "offline_access was not asked for: no refresh token would be issued.")
        if fake.deny:
            params = {"error": "access_denied", "error_description": "The user denied access", "state": state}
        else:
            params = {"code": fake.issue_code(redirect_uri, scope), "state": state}
        separator = "&" if parts.query else ""
        location = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query + separator + urlencode(params), ""))
        self.send_empty(302, {"Location": location, "Cache-Control": "no-store"})

    def token(self, body):
        content_type = self.headers.get("Content-Type", "")
        try:
            if "application/json" in content_type:
                request = json.loads(body or b"{}")
            else:
                request = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        except ValueError:
            return self.oauth_error(400, "invalid_request", "The body is neither JSON nor a form.")
        fake = self.fake
        if request.get("client_id") != fake.client_id or request.get("client_secret") != fake.client_secret:
            return self.oauth_error(401, "invalid_client", "Unauthorized")
        grant = request.get("grant_type")
        if grant == "authorization_code":
            with fake.lock:
                code = fake.codes.get(request.get("code") or "")
                if code is None or code["used"] or code["expires"] < time.time():
                    stale = True
                else:
                    stale = False
                    code["used"] = True
            if stale:
                return self.oauth_error(403, "invalid_grant", "Invalid authorization code")
            if request.get("redirect_uri") != code["redirect_uri"]:
                return self.oauth_error(403, "invalid_grant", "redirect_uri does not match the authorize request's")
            return self.send_json(200, fake.issue_tokens(code["scope"], "authorization_code"))
        if grant == "refresh_token":
            with fake.lock:
                refresh = fake.refresh_tokens.get(request.get("refresh_token") or "")
                if refresh is None or refresh["revoked"]:
                    refresh = None
                else:
                    refresh["revoked"] = True  # rotating refresh tokens: one use each
            if refresh is None:
                return self.oauth_error(403, "invalid_grant", "Unknown or invalid refresh token.")
            return self.send_json(200, fake.issue_tokens(refresh["scope"], "refresh_token"))
        return self.oauth_error(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")

    def do_GET(self):
        self.route()

    def do_POST(self):
        self.route()


def serve(port=0, **options):
    server = QuietServer(("127.0.0.1", port), Handler)
    server.fake = FakeAtlassian(**options)
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--client-id", default=CLIENT_ID)
    parser.add_argument("--client-secret", default=CLIENT_SECRET)
    parser.add_argument("--redirect-uri", help="the one callback URL accepted (any when not given)")
    parser.add_argument("--site-url", help="the site URL accessible-resources names (default: this server's URL)")
    args = parser.parse_args()
    server = serve(args.port, client_id=args.client_id, client_secret=args.client_secret,
                   redirect_uri=args.redirect_uri, site_url=args.site_url)
    print("READY http://127.0.0.1:%d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
