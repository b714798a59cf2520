"""The fake Atlassian speaks the protocol Sources/Trackers/Jira/AtlassianOAuth.swift and
JiraCloudClient.swift expect (no browser, no server: plain HTTP against the fake on loopback)."""

import json
import threading
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

import fake_atlassian
from fake_atlassian import CLIENT_ID, CLIENT_SECRET, CLOUD_ID

REDIRECT = "http://127.0.0.1:9/oauth/jira/callback"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


@pytest.fixture(scope="module")
def atlassian():
    server = fake_atlassian.serve(0, redirect_uri=REDIRECT)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.url = "http://127.0.0.1:%d" % server.server_address[1]
    yield server
    server.shutdown()
    server.server_close()


def call(method, url, body=None, token=None, form=False):
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        if form:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            status, raw, response_headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, response_headers = error.code, error.read(), error.headers
    try:
        payload = json.loads(raw) if raw else None
    except ValueError:
        payload = raw.decode()
    return status, payload, response_headers


def authorize_url(base, **overrides):
    """What AtlassianOAuth.authorizationURL builds."""
    params = {"audience": "api.atlassian.com", "client_id": CLIENT_ID,
              "scope": "read:jira-work read:jira-user manage:jira-webhook offline_access",
              "redirect_uri": REDIRECT, "state": "state-123", "response_type": "code", "prompt": "consent"}
    params.update(overrides)
    return base + "/authorize?" + urlencode(params)


def consent(base, **overrides):
    status, _, headers = call("GET", authorize_url(base, **overrides))
    assert status == 302, status
    location = urlsplit(headers["Location"])
    assert location.scheme + "://" + location.netloc + location.path == REDIRECT
    return parse_qs(location.query)


def exchange(base, code, redirect=REDIRECT):
    return call("POST", base + "/oauth/token", {"grant_type": "authorization_code", "client_id": CLIENT_ID,
                                                "client_secret": CLIENT_SECRET, "code": code,
                                                "redirect_uri": redirect})


def test_consent_redirects_back_with_a_code_and_the_same_state(atlassian):
    query = consent(atlassian.url)
    assert query["state"] == ["state-123"] and query["code"][0]
    for wrong in ({"client_id": "someone-else"}, {"redirect_uri": "http://127.0.0.1:9/elsewhere"},
                  {"response_type": "token"}, {"audience": "example.com"},
                  {"scope": "read:jira-work"}, {"state": ""}):
        status, page, _ = call("GET", authorize_url(atlassian.url, **wrong))
        assert status == 400 and "Something went wrong" in page, wrong
    atlassian.fake.deny = True
    try:
        assert consent(atlassian.url) == {"error": ["access_denied"], "error_description": ["The user denied access"],
                                          "state": ["state-123"]}
    finally:
        atlassian.fake.deny = False


def test_code_exchange_refresh_rotation_and_the_gateway(atlassian):
    code = consent(atlassian.url)["code"][0]
    status, tokens, _ = exchange(atlassian.url, code)
    assert status == 200, tokens
    assert set(tokens) == {"access_token", "refresh_token", "expires_in", "scope", "token_type"}
    assert "offline_access" in tokens["scope"].split() and tokens["token_type"] == "Bearer"
    # A code works once.
    status, error, _ = exchange(atlassian.url, code)
    assert status == 403 and error["error"] == "invalid_grant"
    # A wrong client is told apart from a refused grant.
    status, error, _ = call("POST", atlassian.url + "/oauth/token", {
        "grant_type": "refresh_token", "client_id": CLIENT_ID, "client_secret": "wrong",
        "refresh_token": tokens["refresh_token"]})
    assert status == 401 and error["error"] == "invalid_client"
    # The redirect URI must be the authorize request's.
    other = consent(atlassian.url)["code"][0]
    status, error, _ = exchange(atlassian.url, other, redirect="http://127.0.0.1:9/other")
    assert status == 403 and error["error"] == "invalid_grant"

    status, sites, _ = call("GET", atlassian.url + "/oauth/token/accessible-resources", token=tokens["access_token"])
    assert status == 200 and sites[0]["id"] == CLOUD_ID and sites[0]["url"] == atlassian.url, sites
    assert call("GET", atlassian.url + "/oauth/token/accessible-resources", token="nope")[0] == 401

    api = atlassian.url + "/ex/jira/%s/rest/api/3" % CLOUD_ID
    status, me, _ = call("GET", api + "/myself", token=tokens["access_token"])
    assert status == 200 and me["timeZone"] == "Europe/Berlin"
    status, page, _ = call("POST", api + "/search/jql", {"jql": "updated >= \"2025-01-01 00:00\" ORDER BY updated ASC",
                                                       "fields": ["summary", "updated"], "maxResults": 2},
                           token=tokens["access_token"])
    assert status == 200 and [i["key"] for i in page["issues"]] == ["MOB-1", "MOB-2"] and page["isLast"] is False
    status, page, _ = call("POST", api + "/search/jql", {"jql": "project = MOB", "fields": ["summary"],
                                                       "maxResults": 2, "nextPageToken": page["nextPageToken"]},
                           token=tokens["access_token"])
    assert [i["key"] for i in page["issues"]] == ["MOB-3"] and page["isLast"] is True
    assert call("GET", atlassian.url + "/ex/jira/another-cloud/rest/api/3/myself", token=tokens["access_token"])[0] == 404

    # Expired access: 401; a refresh rotates the refresh token (the old one is refused after).
    atlassian.fake.expire_access_tokens()
    assert call("GET", api + "/myself", token=tokens["access_token"])[0] == 401
    status, fresh, _ = call("POST", atlassian.url + "/oauth/token", {
        "grant_type": "refresh_token", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "refresh_token": tokens["refresh_token"]}, form=True)
    assert status == 200 and fresh["refresh_token"] != tokens["refresh_token"]
    assert call("GET", api + "/myself", token=fresh["access_token"])[0] == 200
    status, error, _ = call("POST", atlassian.url + "/oauth/token", {
        "grant_type": "refresh_token", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "refresh_token": tokens["refresh_token"]})
    assert status == 403 and error["error"] == "invalid_grant"
    assert atlassian.fake.grants[-1] == "refresh_token" and "authorization_code" in atlassian.fake.grants
    assert tokens["access_token"] in atlassian.fake.secrets() and fresh["refresh_token"] in atlassian.fake.secrets()
