"""The admin console (issue #29) end to end in headless Chromium: trackers (a Data Center one from
the form; a Jira Cloud one connected through OAuth 2.0 against the fake Atlassian, then synced),
a dead job retried from the jobs dashboard, users, the audit trail, personal access tokens, the
API reference at /docs, what developers and leads may not see, and the first page's weight.
Every screen goes through `Browser.check` (console errors, failed requests, other hosts, CSP
violations, dialogs, axe serious/critical, overflow at 360 and 1,440 px). Locators are what a
user reads: headings, labels, button and link texts."""

import re
import time
from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import fake_atlassian
import fake_jira
from harness import ADMIN, DEVELOPER, LEAD, new_id

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ADMIN_NAV = ("Trackers", "Jobs", "Users", "Audit")
# Credential fields of every tracker kind: a form shows only those of the chosen kind.
CREDENTIAL_LABELS = {"Atlassian account e-mail", "API token", "Token", "Username", "Password", "Key"}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# What /docs may not reach: any https URL and any named host (the server is http://127.0.0.1).
BLOCKED_ELSEWHERE = ["https://*", "http://*.com/*", "http://*.net/*", "http://*.org/*", "http://*.io/*",
                     "http://localhost*"]


def suffix():
    return new_id()[:8]


def fact(browser, name):
    """The value of a `<dt>name</dt><dd>value</dd>` pair of the tracker's facts."""
    return browser.driver.find_element(
        By.XPATH, "//dl[@id='tracker-facts']/dt[normalize-space(.)='%s']/following-sibling::dd[1]" % name).text.strip()


def page_source(browser):
    """The document as it is now, with the values typed into inputs (not only attributes)."""
    return browser.js("return document.documentElement.outerHTML + '\\n' + Array.from("
                      "document.querySelectorAll('input, textarea')).map((e) => e.value).join('\\n')")


def archive_tracker(world, tracker_id):
    world.api.call("DELETE", "/trackers/%s" % tracker_id, token=world.admin)


def open_admin_screen(browser, nav_text, path_pattern, heading):
    browser.nav_link(nav_text).click()
    browser.wait_ready(path_pattern)
    assert browser.h1() == heading, browser.h1()


def help_of(browser, label):
    """The help texts a control's aria-describedby points at, as a screen reader reads them."""
    ids = (browser.control(label).get_attribute("aria-describedby") or "").split()
    return " ".join(browser.js("return document.getElementById(arguments[0])?.textContent || ''", i) for i in ids)


def tracker_id_from(browser):
    match = re.match(r"^/app/admin/trackers/(%s)" % UUID, browser.path())
    assert match, browser.path()
    return match.group(1)


# ------------------------------------------------------------------------------------------------
# 1. A Jira Data Center tracker from the form, "Test connection", no credential shown back.

def test_admin_creates_a_data_center_tracker_and_tests_it(browser, world, stack):
    browser.sign_in(ADMIN)
    nav = browser.nav_texts()
    assert all(item in nav for item in ADMIN_NAV), nav
    open_admin_screen(browser, "Trackers", r"^/app/admin/trackers$", "Trackers")
    assert world.trackers["dc"]["name"] in browser.main_text()
    browser.check("trackers", screenshot="admin-trackers")

    browser.link("New tracker").click()
    browser.wait_ready(r"^/app/admin/trackers/new$")
    assert browser.h1() == "New tracker"
    # Nothing but the type until one is chosen.
    assert browser.radio_labels("Tracker type") == ["Jira Cloud", "Jira Data Center", "Teamwork", "GitHub", "GitLab", "Linear"]
    assert "Base URL" not in browser.labels_shown()
    browser.radio("Tracker type", "Jira Data Center").click()
    assert browser.radio_labels("Authentication") == ["Personal access token", "Username and password"]
    assert browser.radio("Authentication", "Personal access token").is_selected()
    shown = set(browser.labels_shown())
    assert {"Name", "Base URL"} <= shown, shown
    assert shown & CREDENTIAL_LABELS == {"Token"}, shown
    browser.check("new Data Center tracker (personal access token)")
    browser.radio("Authentication", "Username and password").click()
    shown = set(browser.labels_shown())
    assert shown & CREDENTIAL_LABELS == {"Username", "Password"}, shown

    name = "Operations %s (Jira Data Center)" % suffix()
    browser.fill("Name", name)
    browser.fill("Base URL", stack.jira_url + fake_jira.OPS_PREFIX)
    browser.fill("Username", fake_jira.OPS_USER)
    browser.fill("Password", fake_jira.OPS_PASSWORD)
    browser.fill("Acceptance criteria field", fake_jira.DC_CRITERIA)
    browser.check("new Data Center tracker (username and password), filled in")
    browser.button("Create tracker").click()
    browser.wait_ready(r"^/app/admin/trackers/%s" % UUID)
    tracker_id = tracker_id_from(browser)
    try:
        assert browser.h1() == "Tracker " + name
        sent = [b for b in browser.sent_bodies("POST", "/trackers") if b][-1]
        assert sent["type"] == "jira-dc" and sent["baseUrl"] == stack.jira_url + fake_jira.OPS_PREFIX, sent
        assert sent["auth"] == {"kind": "basic", "username": fake_jira.OPS_USER, "password": fake_jira.OPS_PASSWORD}, sent
        assert "Test the connection" in browser.main_text()
        assert fact(browser, "Type") == "Jira Data Center"
        assert fact(browser, "Stored credentials") == "username, password"

        def no_credentials_shown():
            # The settings form offers new credentials, never the stored ones.
            assert fake_jira.OPS_PASSWORD not in page_source(browser)
            for label in ("Username", "Password"):
                control = browser.control(label)
                assert control.get_attribute("value") == "", label
                help_id = (control.get_attribute("aria-describedby") or "").split()
                helps = " ".join(browser.js("return document.getElementById(arguments[0])?.textContent || ''", i)
                                 for i in help_id)
                assert "Stored" in helps and "leave empty to keep" in helps, (label, helps)

        no_credentials_shown()
        browser.check("Data Center tracker, created")

        before = len(stack.jira.requests_to("ops"))
        browser.button("Test connection").click()
        result = browser.wait(lambda: "Connection" in browser.find("#test-result").text and browser.find("#test-result"),
                              15, "the connection test's result")
        assert result.text.startswith("Connection works."), result.text
        assert "Ops Sync" in result.text, result.text
        calls = stack.jira.requests_to("ops")[before:]
        assert any(c["path"].startswith("/ops/rest/api/2/myself") and c["authorized"] for c in calls), calls
        no_credentials_shown()
        browser.check("Data Center tracker, connection tested", screenshot="admin-tracker")

        # A fresh load of the page shows no more: the API never answers with the secrets.
        browser.driver.refresh()
        browser.wait_ready(r"^/app/admin/trackers/%s$" % tracker_id)
        no_credentials_shown()
        _, stored, _ = world.api.call("GET", "/trackers/%s" % tracker_id, token=world.admin, expect=200)
        assert fake_jira.OPS_PASSWORD not in str(stored) and stored["authKind"] == "basic"
        browser.check("Data Center tracker, reloaded", axe=False)
    finally:
        archive_tracker(world, tracker_id)


def test_admin_creates_a_github_tracker(browser, world, stack):
    browser.sign_in(ADMIN)
    browser.open("/app/admin/trackers/new")
    browser.wait_ready(r"^/app/admin/trackers/new")
    browser.radio("Tracker type", "GitHub").click()
    assert browser.radio_labels("Authentication") == ["Personal access token"]
    shown = set(browser.labels_shown())
    assert {"Name", "Base URL", "Token", "Repositories", "In-progress label", "Webhook secret"} <= shown, shown
    assert not shown & {"JQL filter", "Acceptance criteria field"}, shown
    name = "Octo %s (GitHub)" % suffix()
    browser.fill("Name", name)
    browser.fill("Base URL", stack.jira_url)
    browser.fill("Token", "github_pat_browser_test")
    browser.fill("Repositories", "octo-org/octo-repo\n  octo-org/octo-docs  \n")
    browser.fill("In-progress label", "in progress")
    browser.check("new GitHub tracker, filled in")
    browser.button("Create tracker").click()
    browser.wait_ready(r"^/app/admin/trackers/%s" % UUID)
    tracker_id = tracker_id_from(browser)
    try:
        sent = [b for b in browser.sent_bodies("POST", "/trackers") if b][-1]
        assert sent["type"] == "github" and sent["auth"] == {"kind": "pat", "token": "github_pat_browser_test"}, sent
        assert sent["scope"] == {"repositories": ["octo-org/octo-repo", "octo-org/octo-docs"], "inProgressLabel": "in progress"}, sent
        assert fact(browser, "Type") == "GitHub"
        _, stored, _ = world.api.call("GET", "/trackers/%s" % tracker_id, token=world.admin, expect=200)
        assert stored["scope"]["repositories"] == ["octo-org/octo-repo", "octo-org/octo-docs"], stored
        assert browser.control("Repositories").get_attribute("value") == "octo-org/octo-repo\nocto-org/octo-docs"
        browser.check("GitHub tracker, created")
    finally:
        archive_tracker(world, tracker_id)


def test_admin_creates_a_gitlab_tracker(browser, world, stack):
    browser.sign_in(ADMIN)
    browser.open("/app/admin/trackers/new")
    browser.wait_ready(r"^/app/admin/trackers/new")
    browser.radio("Tracker type", "GitLab").click()
    assert browser.radio_labels("Authentication") == ["Personal access token"]
    shown = set(browser.labels_shown())
    assert {"Name", "Base URL", "Token", "Projects", "In-progress label", "Webhook secret"} <= shown, shown
    assert not shown & {"JQL filter", "Acceptance criteria field", "Repositories", "Teams"}, shown
    # GitLab signs nothing: it sends the secret token itself, so the help says where it goes.
    assert "X-Gitlab-Token" in help_of(browser, "Webhook secret")
    name = "Web shop %s (GitLab)" % suffix()
    browser.fill("Name", name)
    browser.fill("Base URL", stack.jira_url)
    browser.fill("Token", "glpat-browser-test")
    browser.fill("Projects", "acme-group/web-shop\n  acme-group/platform/api  \n")
    browser.fill("In-progress label", "workflow::doing")
    browser.fill("Webhook secret", "gitlab-secret-token-0001")
    browser.check("new GitLab tracker, filled in")
    browser.button("Create tracker").click()
    browser.wait_ready(r"^/app/admin/trackers/%s" % UUID)
    tracker_id = tracker_id_from(browser)
    try:
        sent = [b for b in browser.sent_bodies("POST", "/trackers") if b][-1]
        assert sent["type"] == "gitlab" and sent["auth"] == {"kind": "pat", "token": "glpat-browser-test"}, sent
        assert sent["scope"] == {"projects": ["acme-group/web-shop", "acme-group/platform/api"], "inProgressLabel": "workflow::doing"}, sent
        assert sent["webhookSecret"] == "gitlab-secret-token-0001", sent
        assert fact(browser, "Type") == "GitLab"
        _, stored, _ = world.api.call("GET", "/trackers/%s" % tracker_id, token=world.admin, expect=200)
        assert stored["scope"]["projects"] == ["acme-group/web-shop", "acme-group/platform/api"], stored
        assert stored["scope"]["inProgressLabel"] == "workflow::doing" and stored["webhookSecretSet"], stored
        assert browser.control("Projects").get_attribute("value") == "acme-group/web-shop\nacme-group/platform/api"
        assert browser.find("#webhook-url").text == "%s/webhooks/gitlab/%s" % (stack.base, tracker_id)
        assert "Issues events" in browser.main_text()
        browser.check("GitLab tracker, created")
    finally:
        archive_tracker(world, tracker_id)


def test_admin_creates_a_linear_tracker(browser, world, stack):
    browser.sign_in(ADMIN)
    browser.open("/app/admin/trackers/new")
    browser.wait_ready(r"^/app/admin/trackers/new")
    browser.radio("Tracker type", "Linear").click()
    assert browser.radio_labels("Authentication") == ["API key"]
    shown = set(browser.labels_shown())
    assert {"Name", "Base URL", "Key", "Teams", "Webhook secret"} <= shown, shown
    assert not shown & {"JQL filter", "Acceptance criteria field", "Repositories", "Projects", "In-progress label"}, shown
    # Linear has one API host, so the base URL may stay empty; Linear makes the signing secret.
    assert browser.js("return document.querySelector('label[for=tracker-base-url] .required').hidden") is True
    assert "https://api.linear.app" in help_of(browser, "Base URL")
    assert "signing secret" in help_of(browser, "Webhook secret")
    name = "Engineering %s (Linear)" % suffix()
    browser.fill("Name", name)
    # Not left empty here: this stack's outbound policy admits 127.0.0.1 only, not Linear's API.
    browser.fill("Base URL", stack.jira_url)
    browser.fill("Key", "lin_api_browser_test")
    browser.fill("Teams", "ENG\n  DES  \n")
    browser.fill("Webhook secret", "lin_wh_browser_test_0001")
    browser.check("new Linear tracker, filled in")
    browser.button("Create tracker").click()
    browser.wait_ready(r"^/app/admin/trackers/%s" % UUID)
    tracker_id = tracker_id_from(browser)
    try:
        sent = [b for b in browser.sent_bodies("POST", "/trackers") if b][-1]
        assert sent["type"] == "linear" and sent["auth"] == {"kind": "apiKey", "apiKey": "lin_api_browser_test"}, sent
        assert sent["scope"] == {"teams": ["ENG", "DES"]}, sent
        assert sent["baseUrl"] == stack.jira_url and sent["webhookSecret"] == "lin_wh_browser_test_0001", sent
        assert fact(browser, "Type") == "Linear"
        assert fact(browser, "Authentication") == "API key"
        _, stored, _ = world.api.call("GET", "/trackers/%s" % tracker_id, token=world.admin, expect=200)
        assert stored["scope"]["teams"] == ["ENG", "DES"] and stored["webhookSecretSet"], stored
        assert browser.control("Teams").get_attribute("value") == "ENG\nDES"
        assert browser.find("#webhook-url").text == "%s/webhooks/linear/%s" % (stack.base, tracker_id)
        assert "signing secret" in browser.main_text()
        browser.check("Linear tracker, created")
    finally:
        archive_tracker(world, tracker_id)


# ------------------------------------------------------------------------------------------------
# 2. A Jira Cloud tracker connected through OAuth 2.0 (3LO) against the fake Atlassian.

def test_admin_connects_jira_cloud_through_oauth_and_syncs(browser, world, stack):
    browser.sign_in(ADMIN)
    open_admin_screen(browser, "Trackers", r"^/app/admin/trackers$", "Trackers")
    browser.link("New tracker").click()
    browser.wait_ready(r"^/app/admin/trackers/new$")
    browser.radio("Tracker type", "Jira Cloud").click()
    assert browser.radio_labels("Authentication") == ["API token (e-mail and token)", "OAuth 2.0 (Connect with Atlassian)"]
    browser.radio("Authentication", "OAuth 2.0 (Connect with Atlassian)").click()
    assert not set(browser.labels_shown()) & CREDENTIAL_LABELS, browser.labels_shown()
    name = "Mobile %s (Jira Cloud, OAuth)" % suffix()
    browser.fill("Name", name)
    # The site accessible-resources names: the callback keeps the site whose host is the tracker's.
    browser.fill("Base URL", stack.atlassian_url)
    browser.check("new Jira Cloud tracker (OAuth)")
    browser.button("Create tracker").click()
    browser.wait_ready(r"^/app/admin/trackers/%s" % UUID)
    tracker_id = tracker_id_from(browser)
    try:
        assert "Connect with Atlassian, then sync it." in browser.main_text()
        assert fact(browser, "Authentication") == "OAuth 2.0 (Connect with Atlassian)"
        browser.check("Jira Cloud tracker, not connected yet")

        # Connect: start (JSON) → the fake's consent page (302 back) → the server's callback
        # (303) → this page with ?oauth=connected.
        grants = len(stack.atlassian.grants)
        browser.button("Connect with Atlassian").click()
        browser.wait(lambda: browser.find_all("#oauth-result"), 20, "the OAuth outcome on the tracker page")
        browser.wait_ready(r"^/app/admin/trackers/%s$" % tracker_id)
        outcome = browser.find("#oauth-result")
        assert outcome.text == "Connected to Atlassian. The tracker can sync now.", outcome.text
        assert "oauth=" not in browser.path(), "the outcome is not kept in the address"
        assert stack.atlassian.grants[grants:] == ["authorization_code"], stack.atlassian.grants
        assert stack.atlassian.requests_to("/authorize") and stack.atlassian.requests_to("/oauth/token/accessible-resources")
        browser.pull_performance()
        start = [u for _, m, u, _, _ in browser.sent if m == "GET" and "/oauth/start" in u]
        assert start and all(u.startswith(stack.base + "/trackers/%s/oauth/start" % tracker_id) for u in start), start
        stored = fact(browser, "Stored credentials")
        assert "accessToken" in stored and "refreshToken" in stored, stored
        source = page_source(browser)
        assert not [s for s in stack.atlassian.secrets() if s in source], "a token reached the page"
        browser.check("Jira Cloud tracker, connected", hosts=[stack.atlassian_host], screenshot="admin-tracker-oauth")

        # Sync now: the issues come through api.atlassian.com/ex/jira/{cloudId}. (The scheduler
        # may have synced the tracker already; this sync searches again all the same.)
        searches = "/ex/jira/%s/rest/api/3/search/jql" % fake_atlassian.CLOUD_ID
        searched = len(stack.atlassian.requests_to(searches))
        browser.button("Sync now").click()
        browser.wait(lambda: browser.find("#sync-status").text.startswith("Sync finished."), 30,
                     "the sync to finish (%r)" % browser.find("#sync-status").text)
        browser.wait(lambda: fact(browser, "Issues") == str(len(fake_atlassian.OAUTH_KEYS)), 10, "the issue count")
        assert len(stack.atlassian.requests_to(searches)) > searched, "Sync now searched the site"
        browser.check("Jira Cloud tracker, synced")

        # An expired access token is refreshed (the refresh token rotates) and the sync goes on.
        stack.atlassian.expire_access_tokens()
        browser.button("Sync now").click()
        browser.wait(lambda: browser.find("#sync-status").text.startswith("Sync finished.")
                     and stack.atlassian.grants[-1] == "refresh_token", 30,
                     "the second sync to finish (%r)" % browser.find("#sync-status").text)
        assert not [s for s in stack.atlassian.secrets() if s in page_source(browser)]
        browser.check("Jira Cloud tracker, synced after a refresh")

        # The issues are everyone's now.
        browser.nav_link("Issues").click()
        browser.wait_ready(r"^/app/issues")
        links = [a.text for a in browser.find_all("main table a")]
        for key in fake_atlassian.OAUTH_KEYS:
            assert any(text.startswith(key + " ") for text in links), (key, links)
        browser.check("issues with the OAuth tracker's")
    finally:
        archive_tracker(world, tracker_id)


# ------------------------------------------------------------------------------------------------
# 3. A dead job seen on the jobs dashboard, retried once the tracker is fixed.

def figure(browser, state):
    """A number of the dashboard's overview ("Dead (24 h)"…)."""
    text = browser.find("dl.figure[data-state=%s] dd" % state).text
    return int(re.sub(r"[^0-9]", "", text) or 0)


def wait_for_job_row(browser, job_id, state, timeout):
    """Waits until the job list shows the job in `state`. The overview refreshes itself every
    5 s; when the list is not redrawn with it, the test does what a user would: "Filter" again
    (the same filters), at most once per refresh period. Never an API call."""
    deadline = time.time() + timeout
    last_load = time.time()
    refiltered = 0
    while time.time() < deadline:
        rows = browser.find_all("#job-%s" % job_id)
        if rows:
            try:
                if rows[0].get_attribute("data-state") == state:
                    return rows[0], refiltered
            except Exception:
                pass  # redrawn meanwhile
        if time.time() - last_load > 5.5:
            browser.button("Filter").click()
            browser.wait_ready(r"^/app/admin/jobs")
            last_load = time.time()
            refiltered += 1
        time.sleep(0.2)
    raise AssertionError("job %s is not shown as %s on the dashboard after %ss (rows: %s)"
                         % (job_id, state, timeout, [r.text for r in browser.find_all("main tbody tr")][:5]))


def test_dead_job_is_retried_from_the_dashboard(browser, world, stack):
    # A tracker whose Jira is down: every request answers 500, so its sync dies on its first
    # (and, with JOBS_MAX_ATTEMPTS=1, last) attempt.
    stack.jira.set_broken("flaky", True)
    _, tracker, _ = world.api.call("POST", "/trackers", {
        "type": "jira-dc", "name": "Ledger %s (flaky Data Center)" % suffix(),
        "baseUrl": stack.jira_url + fake_jira.FLAKY_PREFIX, "syncIntervalMinutes": 1440,
        "auth": {"kind": "pat", "token": fake_jira.FLAKY_TOKEN},
    }, token=world.admin, expect=201)
    try:
        browser.sign_in(ADMIN)
        open_admin_screen(browser, "Jobs", r"^/app/admin/jobs$", "Jobs")
        browser.check("jobs dashboard", screenshot="admin-jobs-overview")
        dead_before = figure(browser, "dead")

        # The failure happens behind the page's back; the page finds out by itself.
        _, queued, _ = world.api.call("POST", "/trackers/%s/sync" % tracker["id"], token=world.admin, expect=202)
        job_id = queued["jobId"]
        browser.wait(lambda: figure(browser, "dead") > dead_before, 15, "the overview to count the dead job")
        Select(browser.control("State")).select_by_visible_text("Dead")
        browser.button("Filter").click()
        browser.wait_ready(r"^/app/admin/jobs\?state=dead")
        row, refiltered = wait_for_job_row(browser, job_id, "dead", 20)
        text = row.text
        assert "sync-jira-issues" in text and "Dead" in text and "1 of 1" in text, text
        assert "500 from GET" in text and fake_jira.FLAKY_PREFIX in text, text
        browser.check("jobs dashboard with a dead job", screenshot="admin-jobs")

        # Fix the tracker, then Retry.
        stack.jira.set_broken("flaky", False)
        succeeded_before = figure(browser, "succeeded")
        browser.button_in(row, "Retry", prefix=True).click()
        status = browser.wait(lambda: browser.find("#job-action-status").text, 10, "the retry's status line")
        assert "will run again now" in status, status
        browser.wait(lambda: figure(browser, "succeeded") > succeeded_before, 15,
                     "the overview to count a succeeded job")
        Select(browser.control("State")).select_by_visible_text("Succeeded")
        browser.button("Filter").click()
        browser.wait_ready(r"^/app/admin/jobs\?state=succeeded")
        row, more = wait_for_job_row(browser, job_id, "succeeded", 20)
        assert "Succeeded" in row.text and not row.find_elements(By.XPATH, ".//button[starts-with(normalize-space(.), 'Retry')]")
        print("the job list needed %d extra Filter clicks (no list refresh of its own)" % (refiltered + more))
        browser.check("jobs dashboard after the retry")
        _, synced, _ = world.api.call("GET", "/trackers/%s" % tracker["id"], token=world.admin, expect=200)
        assert synced["issueCount"] == len(fake_jira.FLAKY_KEYS), synced
    finally:
        stack.jira.set_broken("flaky", False)
        archive_tracker(world, tracker["id"])


# ------------------------------------------------------------------------------------------------
# 4. Users: added with a generated password shown once, demoted, disabled; the last admin kept.

def test_admin_adds_demotes_and_disables_a_user(browser, world, stack):
    _, me, _ = world.api.call("GET", "/me", token=world.admin, expect=200)
    browser.sign_in(ADMIN)
    open_admin_screen(browser, "Users", r"^/app/admin/users$", "Users")
    browser.check("users")

    tag = suffix()
    email, name = "nora-%s@example.com" % tag, "Nora New %s" % tag
    browser.fill("Email", email)
    browser.fill("Name", name)
    browser.choose("Role", "Admin")
    assert browser.radio("Password", "Generate a password").is_selected()
    assert "Password" not in browser.labels_shown(), "no password to type when one is generated"
    browser.button("Add user").click()
    secret = browser.wait(lambda: browser.find_all("#new-user-password-value") and browser.find("#new-user-password-value"),
                          10, "the generated password")
    password = secret.text.strip()
    assert len(password) >= 16, password
    result = browser.find("#new-user-result").text
    assert "%s (%s) was added as Admin." % (name, email) in result, result
    assert "will not be shown again" in result, result
    sent = [b for b in browser.sent_bodies("POST", "/users") if b][-1]
    assert sent == {"email": email, "name": name, "role": "admin", "password": password}, sent
    # The password shown is the one that works.
    world.api.login(email, password)
    _, users, _ = world.api.call("GET", "/users?limit=200", token=world.admin, expect=200)
    user = next(u for u in users if u["email"] == email)
    browser.check("users, one added", screenshot="admin-users")

    row_id = "user-%s" % user["id"]
    # Demote: Admin → Lead.
    Select(browser.control("Role of %s" % name)).select_by_visible_text("Lead")
    browser.wait(lambda: "%s is now Lead." % name in browser.find("#" + row_id).text, 10, "the role change")
    _, changed, _ = world.api.call("GET", "/users?limit=200", token=world.admin, expect=200)
    assert next(u for u in changed if u["id"] == user["id"])["role"] == "lead"
    # Disable: sessions end, signing in is refused.
    browser.button_in(browser.find("#" + row_id), "Disable", prefix=True).click()
    browser.wait(lambda: "%s is disabled; their sessions have ended." % name in browser.find("#" + row_id).text, 10,
                 "the user disabled")
    assert "Disabled" in browser.find("#" + row_id).text
    status, _, _ = world.api.call("POST", "/auth/login", {"email": email, "password": password})
    assert status in (401, 403), status
    browser.check("users, demoted and disabled")

    # Shown once: a reload does not bring the password back.
    browser.driver.refresh()
    browser.wait_ready(r"^/app/admin/users$")
    assert password not in page_source(browser)
    assert "Disabled" in browser.find("#" + row_id).text

    # The company keeps one enabled admin: demoting or disabling it is refused, and the page says why.
    admin_row = "user-%s" % me["id"]
    role = browser.control("Role of %s" % me["name"])
    Select(role).select_by_visible_text("Developer")
    browser.wait(lambda: "at least one enabled admin" in browser.find("#" + admin_row).text, 10, "the refusal to demote")
    alert = browser.find("#%s [role=alert]" % admin_row).text
    assert "The company must keep at least one enabled admin." in alert, alert
    browser.wait(lambda: Select(browser.control("Role of %s" % me["name"])).first_selected_option.text == "Admin", 5,
                 "the role select back on Admin")
    browser.button_in(browser.find("#" + admin_row), "Disable", prefix=True).click()
    status_alerts = "//*[@id='toggle-%s']/ancestor::td//*[@role='alert']" % me["id"]
    browser.wait(lambda: any("at least one enabled admin" in a.text
                             for a in browser.driver.find_elements(By.XPATH, status_alerts)), 10,
                 "the refusal to disable, beside the button")
    assert "Enabled" in browser.find("#" + admin_row).text
    _, still, _ = world.api.call("GET", "/me", token=world.admin, expect=200)
    assert still["role"] == "admin" and not still["disabled"]
    browser.check("users, the last admin kept", allow=[("PATCH", "/users/", 409)], screenshot="admin-users-refusal")


# ------------------------------------------------------------------------------------------------
# 5. The audit trail, filtered by action and time range.

def local_input(browser, instant):
    """An instant as a datetime-local value in the browser's own time zone (minutes)."""
    return browser.js("const d = new Date(arguments[0]); const p = (n) => String(n).padStart(2, '0');"
                      "return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;",
                      instant.isoformat())


def set_input(browser, element, value):
    browser.js("const el = arguments[0]; el.value = arguments[1];"
               "el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true}));",
               element, value)


def test_audit_event_found_by_action_and_time(browser, world):
    start = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    person = world.new_person("developer", "audited")
    browser.sign_in(ADMIN)
    open_admin_screen(browser, "Audit", r"^/app/admin/audit", "Audit trail")
    browser.check("audit trail")

    def filter_by(action, since, until):
        browser.fill("Action", action)
        set_input(browser, browser.control("From"), local_input(browser, since))
        set_input(browser, browser.control("To"), local_input(browser, until))
        browser.button("Filter").click()
        browser.wait_ready(r"^/app/admin/audit\?.*action=user\.created")

    filter_by("user.created", start - timedelta(minutes=1), start + timedelta(minutes=2))
    query = browser.path()
    assert "from=" in query and "to=" in query, query
    actions = {tr.get_attribute("data-action") for tr in browser.find_all("main tbody tr")}
    assert actions == {"user.created"}, actions
    links = browser.find_all("main tbody a[title='%s']" % person["id"])
    assert links and links[0].text == "user %s" % person["name"], [a.text for a in links]
    row = links[0].find_element(By.XPATH, "./ancestor::tr")
    assert "(you)" in row.find_element(By.CSS_SELECTOR, "td:nth-child(2)").text, "the actor: the admin"
    browser.check("audit trail filtered", screenshot="admin-audit")

    # The same action before the user existed: not there.
    filter_by("user.created", start - timedelta(days=2), start - timedelta(days=1))
    assert not browser.find_all("main tbody a[title='%s']" % person["id"])
    browser.check("audit trail filtered to another day", axe=False)


# ------------------------------------------------------------------------------------------------
# 6. Personal access tokens: created (password asked), shown once with MCP configs, revoked; an
#    admin revokes another user's token from "All tokens of the company".

def test_personal_access_tokens(browser, world, stack):
    person = world.new_person("developer", "tokens")
    browser.sign_in(person)
    browser.link("Access tokens").click()
    browser.wait_ready(r"^/app/tokens$")
    assert browser.h1() == "Access tokens"
    assert not browser.find_all("#company-tokens-heading"), "a developer sees only their own tokens"
    browser.check("access tokens")

    token_name = "Claude Code on my laptop %s" % suffix()
    browser.fill("Name", token_name)
    browser.fill("Current password", "not-my-password-1")
    browser.button("Create token").click()
    browser.wait(lambda: browser.find_all("#token-current-password-error"), 10, "the wrong password refused")
    browser.check("access tokens, wrong password", allow=[("POST", "/me/tokens", 422)])
    browser.fill("Current password", person["password"])
    browser.button("Create token").click()
    secret = browser.wait(lambda: browser.find_all("#new-token-secret-value") and browser.find("#new-token-secret-value"),
                          10, "the new token")
    token = secret.text.strip()
    assert token.startswith("ps_pat_"), token
    assert "will not be shown again" in browser.find("#new-token").text
    snippets = browser.find("#mcp-snippets").text
    for assistant in ("Claude Code", "Cursor", "VS Code"):
        assert assistant in snippets, assistant
    assert stack.base + "/mcp" in snippets and token in snippets
    _, me, _ = world.api.call("GET", "/me", token=token, expect=200)
    assert me["email"] == person["email"]
    browser.check("access tokens, one created", screenshot="tokens")

    # Shown once.
    browser.driver.refresh()
    browser.wait_ready(r"^/app/tokens$")
    assert token not in page_source(browser)
    row = browser.row(token_name)
    browser.button_in(row, "Revoke " + token_name).click()
    browser.button_in(row, "Yes, revoke").click()
    browser.wait(lambda: "The token %s was revoked." % token_name in browser.main_text(), 10, "the revocation")
    assert not browser.driver.find_elements(By.XPATH, "//main//tr[contains(., %r)]" % token_name), "the row is gone"
    assert world.api.call("GET", "/me", token=token)[0] == 401
    browser.check("access tokens, revoked")

    # The admin revokes a token of someone else.
    other = world.create_token(person, "ci-script %s" % suffix())
    browser.button("Sign out").click()
    browser.wait_ready(r"^/app/login")
    browser.sign_in(ADMIN)
    browser.link("Access tokens").click()
    browser.wait_ready(r"^/app/tokens$")
    section = browser.heading("All tokens of the company").find_element(By.XPATH, "./ancestor::section")
    row = section.find_element(By.ID, "token-%s" % other["id"])
    assert person["name"] in row.text, row.text
    browser.check("access tokens as an admin")
    browser.button_in(row, "Revoke " + other["name"]).click()
    browser.button_in(row, "Yes, revoke").click()
    browser.wait(lambda: "The token %s was revoked." % other["name"] in section.text, 10, "the admin's revocation")
    assert not browser.find_all("#token-%s" % other["id"])
    assert world.api.call("GET", "/me", token=other["token"])[0] == 401
    browser.check("access tokens, another user's revoked")


# ------------------------------------------------------------------------------------------------
# 7. /docs: every operation of /openapi.json, nothing from another host, no session needed.

def test_api_reference_renders_every_operation_offline_without_a_session(browser, world, stack):
    # The network is the server only: anything else is blocked (and would be reported).
    browser.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED_ELSEWHERE})
    browser.open("/docs")
    browser.wait_ready(r"^/docs")
    _, spec, _ = stack.api.call("GET", "/openapi.json", expect=200)
    expected = {(path, method) for path, item in spec["paths"].items() for method in item if method in HTTP_METHODS}
    shown = browser.js("return Array.from(document.querySelectorAll('[data-path][data-method]'))"
                       ".map((e) => [e.dataset.path, e.dataset.method.toLowerCase(), e.textContent])")
    rendered = {(p, m) for p, m, _ in shown}
    assert rendered == expected, "missing: %s; not in the spec: %s" % (sorted(expected - rendered), sorted(rendered - expected))
    assert len(shown) == len(expected), "each operation once"
    for path, method, text in shown:
        summary = spec["paths"][path][method].get("summary")
        assert not summary or summary in text, (method, path, summary)
    cookies = {c["name"] for c in browser.driver.get_cookies()}
    assert not cookies & {"ps_refresh", "ps_session"}, cookies
    browser.pull_performance()
    assert not any(urlpath(u).startswith("/auth/") for _, _, u, _, _ in browser.sent), "no session was asked for"
    browser.check("API reference without a session", screenshot="docs")


def urlpath(url):
    from urllib.parse import urlsplit

    return urlsplit(url).path


# ------------------------------------------------------------------------------------------------
# 8. Developers and leads: no admin navigation; admin pages answer "Not allowed", never a half
#    screen or a 403 problem box.

def test_developers_and_leads_may_not_open_admin_screens(browser, world):
    pages = ["/app/admin/trackers", "/app/admin/trackers/new", "/app/admin/trackers/%s" % world.trackers["cloud"]["id"],
             "/app/admin/jobs", "/app/admin/users", "/app/admin/audit"]
    for number, person in enumerate((DEVELOPER, LEAD)):
        if number:
            browser.button("Sign out").click()
            browser.wait_ready(r"^/app/login")
        browser.sign_in(person)
        nav = browser.nav_texts()
        assert not set(nav) & set(ADMIN_NAV), (person["role"], nav)
        assert not browser.find_all("#nav-admin-label"), "no Admin group"
        for index, path in enumerate(pages):
            browser.open(path)
            browser.wait_ready("^%s$" % re.escape(path))
            assert browser.h1() == "Not allowed", (person["role"], path, browser.h1())
            assert "You are not allowed to see this page." in browser.main_text()
            assert not browser.find_all("main [role=alert]"), "no problem box"
            assert len(browser.find_all("main h1")) == 1 and not browser.find_all("main form, main table")
            first = index == 0
            browser.check("%s as a %s" % (path, person["role"]), axe=first, widths=first)


# ------------------------------------------------------------------------------------------------
# 9. The first page weighs under 150 KB of JS and CSS, and holds no admin module.

FIRST_PAGE_BUDGET = 150_000  # bytes, uncompressed (decodedBodySize)
LAZY_MODULES = re.compile(r"/assets/screens/(admin/|tokens\.|docs\.|reference/)")


def test_first_page_is_light_and_holds_no_admin_code(browser, world):
    browser.sign_in(DEVELOPER)
    browser.driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    browser.open("/app/issues")
    browser.wait_ready(r"^/app/issues$")
    browser.wait(lambda: browser.js("return document.readyState") == "complete", 10, "the load event")
    entries = browser.js("""
        return performance.getEntriesByType('resource').map((e) => ({
          path: new URL(e.name).pathname, type: e.initiatorType, size: e.decodedBodySize}));
    """)
    assets = [e for e in entries if re.search(r"\.(js|css)$", e["path"])]
    total = sum(e["size"] for e in assets)
    print("first page: %d JS/CSS files, %d bytes" % (len(assets), total))
    for e in sorted(assets, key=lambda e: -e["size"])[:8]:
        print("  %7d  %-8s %s" % (e["size"], e["type"], e["path"]))
    assert assets and all(e["size"] > 0 for e in assets), "sizes are measured (same origin, no cache)"
    assert any(e["path"].endswith(".css") for e in assets) and any("/main." in e["path"] for e in assets)
    assert total < FIRST_PAGE_BUDGET, "JS + CSS of the first page: %d bytes" % total
    lazy = [e["path"] for e in assets if LAZY_MODULES.search(e["path"])]
    assert not lazy, "loaded on a developer's first page: %s" % lazy
    browser.pull_performance()
    requested = [u for _, _, u, _, _ in browser.sent if LAZY_MODULES.search(urlpath(u))]
    assert not requested, "requested by a developer (preload or import): %s" % requested
    browser.check("issues (first page weight)", axe=False)
