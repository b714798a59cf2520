"""The browser tests' machinery: the fake Jira, the fake Atlassian (OAuth 2.0 and the API
gateway) and the real `promptsmith serve` binary on SQLite in a temp folder, an API client for
setup and cross-checks, and a Chromium driver whose every screen goes through the same checks (no
console error, no failed request, no other host, no CSP violation, axe clean, no horizontal
overflow at 360 and 1,440 px).

Environment: PROMPTSMITH_BIN (the binary, required), BROWSER_SCREENSHOTS (where screenshots go;
a temp folder by default), CONSOLE_ASSETS_DIR (passed through to the server: serve the console's
files from the work tree instead of the binary's copies), CHROMIUM_BIN / CHROMEDRIVER_BIN.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

import fake_atlassian
import fake_jira

ADMIN_EMAIL = "admin@promptsmith.local"
ADMIN_PASSWORD = "browser-admin-password-1"
# The company's first admin (made by the server from ADMIN_PASSWORD), as `sign_in` takes it.
ADMIN = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "role": "admin"}
LEAD = {"email": "lead@example.com", "name": "Lea Lead", "role": "lead", "password": "lead-password-123"}
DEVELOPER = {
    "email": "developer@example.com",
    "name": "Dana Developer",
    "role": "developer",
    "password": "developer-password-1",
}
# Signed in, then has its sessions revoked by the admin (the expired-session flow).
REVOKED = {"email": "revoked@example.com", "name": "Rex Revoked", "role": "developer", "password": "revoked-password-1"}

SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS") or tempfile.mkdtemp(prefix="promptsmith-screens.")


def _die_with_parent():
    """Runs in the server's child process: SIGTERM it when the test process dies (even killed)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ApiError(AssertionError):
    pass


class Api:
    """A tiny JSON client for the server's REST API (setup and cross-checks)."""

    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None, token=None, expect=None, headers=None):
        data = None
        all_headers = {"Accept": "application/json"}
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        if token:
            all_headers["Authorization"] = "Bearer " + token
        all_headers.update(headers or {})
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw, response_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, response_headers = error.code, error.read(), error.headers
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode(errors="replace")
        if expect is not None and status != expect:
            raise ApiError("%s %s → %s (expected %s): %s" % (method, path, status, expect, payload))
        return status, payload, response_headers

    def login(self, email, password):
        _, body, _ = self.call("POST", "/auth/login", {"email": email, "password": password}, expect=200)
        return body["accessToken"]


# The server's job settings: a failed attempt is final at once (the jobs dashboard's dead letter
# without waiting for ten backoffs; a retried dead job gets one more attempt); an idle worker
# looks for due jobs every 200 ms, so a retried job starts at once.
JOBS_MAX_ATTEMPTS = "1"


class Stack:
    """The fake Jira and the fake Atlassian (threads of this process) and `promptsmith serve`
    (a child process) with Jira Cloud OAuth configured against the fake Atlassian."""

    def __init__(self):
        self.binary = os.environ.get("PROMPTSMITH_BIN")
        if not self.binary or not os.access(self.binary, os.X_OK):
            raise RuntimeError("PROMPTSMITH_BIN must name the promptsmith binary (got %r)" % self.binary)
        self.jira_server = None
        self.atlassian_server = None
        self.process = None
        self.work = None

    @property
    def jira(self):
        """The fake Jira's state (`set_broken`, `requests_to`)."""
        return self.jira_server.fake

    @property
    def atlassian(self):
        """The fake Atlassian's state (`deny`, `expire_access_tokens`, `requests_to`)."""
        return self.atlassian_server.fake

    def start(self):
        self.jira_server = fake_jira.serve(0)
        threading.Thread(target=self.jira_server.serve_forever, daemon=True).start()
        self.jira_url = "http://127.0.0.1:%d" % self.jira_server.server_address[1]
        self.work = tempfile.mkdtemp(prefix="promptsmith-browser.")
        port = free_port()
        self.base = "http://127.0.0.1:%d" % port
        self.host = "127.0.0.1:%d" % port
        # Atlassian's two hosts in one fake; the app registered exactly this callback URL.
        self.atlassian_server = fake_atlassian.serve(0, redirect_uri=self.base + "/oauth/jira/callback")
        threading.Thread(target=self.atlassian_server.serve_forever, daemon=True).start()
        self.atlassian_url = "http://127.0.0.1:%d" % self.atlassian_server.server_address[1]
        self.atlassian_host = "127.0.0.1:%d" % self.atlassian_server.server_address[1]
        # A clean environment: nothing of the caller's (DATABASE_URL, CLAMD_URL, STORAGE_URL…)
        # leaks into the server, which runs on its defaults: SQLite and uploads in its folder.
        env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR", "CONSOLE_ASSETS_DIR")
               if key in os.environ}
        env.update({
            "OUTBOUND_ONLY_ALLOWED": "true",
            "OUTBOUND_ALLOWED_HOSTS": "127.0.0.1",
            "OUTBOUND_ALLOW_HTTP": "true",
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "LOG_LEVEL": "info",
            # Jira Cloud OAuth 2.0 (3LO) against the fake Atlassian; the redirect URI is
            # PUBLIC_BASE_URL + /oauth/jira/callback, this server's own loopback address.
            "JIRA_CLIENT_ID": fake_atlassian.CLIENT_ID,
            "JIRA_CLIENT_SECRET": fake_atlassian.CLIENT_SECRET,
            "PUBLIC_BASE_URL": self.base,
            "ATLASSIAN_AUTH_URL": self.atlassian_url,
            "ATLASSIAN_API_URL": self.atlassian_url,
            "JOBS_MAX_ATTEMPTS": JOBS_MAX_ATTEMPTS,
            "JOBS_POLL_INTERVAL_MS": "200",
        })
        self.stdout = open(os.path.join(self.work, "server.log"), "wb")
        self.stderr = open(os.path.join(self.work, "server.err"), "wb")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--hostname", "127.0.0.1", "--port", str(port), "--with-worker"],
            cwd=self.work, env=env, stdout=self.stdout, stderr=self.stderr, stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("promptsmith serve exited with %s:\n%s" % (self.process.returncode, self.server_output()))
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as response:
                    if response.status == 200:
                        self.api = Api(self.base)
                        return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("promptsmith did not answer /health:\n" + self.server_output())

    def server_output(self, lines=40):
        text = ""
        for name in ("server.err", "server.log"):
            try:
                with open(os.path.join(self.work, name), errors="replace") as f:
                    text += "--- %s\n%s" % (name, "".join(f.readlines()[-lines:]))
            except OSError:
                pass
        return text

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for server in (self.jira_server, self.atlassian_server):
            if server:
                server.shutdown()
                server.server_close()
        if self.work and not os.environ.get("BROWSER_KEEP_WORK"):
            shutil.rmtree(self.work, ignore_errors=True)


TEMPLATE_NAME = "implement-issue"
TEMPLATE_BODY = """# {{key}}: {{title}}

You are a {{audience}} engineer. Implement the issue below.

{{description}}

## Acceptance criteria
{{criteria}}

{{#if include_tests}}Write tests first.{{/if}}
Change at most {{max_files}} files. Notes: {{notes}}
"""
TEMPLATE_SCHEMA = {
    "type": "object",
    "properties": {
        "audience": {"type": "string", "enum": ["backend", "frontend"], "default": "backend",
                     "description": "Who implements it"},
        "notes": {"type": "string", "description": "Anything else the assistant should know"},
        "include_tests": {"type": "boolean", "default": True},
        "max_files": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5},
    },
    "required": ["audience"],
}


class World:
    """What setup created through the API: users, trackers, synced issues, a template."""

    def __init__(self, stack):
        self.stack = stack
        self.api = stack.api

    def build(self):
        api = self.api
        self.admin = api.login(ADMIN_EMAIL, ADMIN_PASSWORD)
        self.users = {}
        for person in (LEAD, DEVELOPER, REVOKED):
            _, user, _ = api.call("POST", "/users", person, token=self.admin, expect=201)
            self.users[person["email"]] = user
        self.lead = api.login(LEAD["email"], LEAD["password"])
        self.developer = api.login(DEVELOPER["email"], DEVELOPER["password"])
        _, cloud, _ = api.call("POST", "/trackers", {
            "type": "jira-cloud", "name": "Webshop (Jira Cloud)", "baseUrl": self.stack.jira_url,
            "auth": {"kind": "apiToken", "email": fake_jira.CLOUD_EMAIL, "apiToken": fake_jira.CLOUD_TOKEN},
        }, token=self.admin, expect=201)
        _, dc, _ = api.call("POST", "/trackers", {
            "type": "jira-dc", "name": "Billing (Jira Data Center)", "baseUrl": self.stack.jira_url + "/jira",
            "auth": {"kind": "pat", "token": fake_jira.DC_TOKEN},
        }, token=self.admin, expect=201)
        self.trackers = {"cloud": cloud, "dc": dc}
        for tracker in (cloud, dc):
            _, outcome, _ = api.call("POST", "/trackers/%s/test" % tracker["id"], token=self.admin, expect=200)
            assert outcome["ok"], "connection test of %s failed: %s" % (tracker["name"], outcome)
            _, queued, _ = api.call("POST", "/trackers/%s/sync" % tracker["id"], token=self.admin, expect=202)
            self.wait_job(queued["jobId"])
        _, issues, _ = api.call("GET", "/issues?limit=100", token=self.developer, expect=200)
        self.issues = {issue["extKey"]: issue for issue in issues}
        expected = {"SHOP-142", "SHOP-139", "SHOP-147", "SHOP-151", "SHOP-700", fake_jira.HOSTILE_KEY,
                    "BILL-2291", "BILL-2304"}
        missing = expected - set(self.issues)
        assert not missing, "issues missing after the syncs: %s (have %s)" % (missing, sorted(self.issues))
        _, template, _ = api.call("POST", "/prompt-templates", {
            "name": TEMPLATE_NAME, "bodyMd": TEMPLATE_BODY, "lintJson": TEMPLATE_SCHEMA,
        }, token=self.lead, expect=201)
        self.template = template
        return self

    def new_person(self, role, tag):
        """A fresh user of `role` made through the API (a unique e-mail per call), signed in:
        the person dict `sign_in` takes, plus `id` and an access `token`."""
        suffix = uuid.uuid4().hex[:8]
        person = {"email": "%s-%s@example.com" % (tag, suffix), "name": "%s %s" % (tag.title(), suffix),
                  "role": role, "password": "%s-password-%s" % (tag, suffix)}
        _, user, _ = self.api.call("POST", "/users", person, token=self.admin, expect=201)
        person["id"] = user["id"]
        person["token"] = self.api.login(person["email"], person["password"])
        return person

    def create_token(self, person, name):
        """A personal access token of `person` (POST /me/tokens with the current password)."""
        _, token, _ = self.api.call("POST", "/me/tokens", {"name": name, "currentPassword": person["password"]},
                                    token=person["token"], expect=201)
        return token

    def wait_job(self, job_id, timeout=30):
        deadline = time.time() + timeout
        job = None
        while time.time() < deadline:
            _, job, _ = self.api.call("GET", "/jobs/%s" % job_id, token=self.admin, expect=200)
            if job["state"] == "succeeded":
                return job
            if job["state"] in ("dead", "cancelled"):
                raise AssertionError("sync job ended %s: %s" % (job["state"], job))
            time.sleep(0.2)
        raise AssertionError("sync job did not finish in %ss: %s" % (timeout, job))


# ----------------------------------------------------------------------------------------------
# The browser

CSP_AND_ALERT_PROBE = """
window.__csp = [];
window.__alerts = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
                     line: e.lineNumber, sample: e.sample});
});
for (const name of ['alert', 'confirm', 'prompt']) {
  const original = window[name];
  window[name] = function () { window.__alerts.push([name].concat(Array.from(arguments).map(String))); };
}
"""

AXE_SCRIPT = None


def axe_source():
    global AXE_SCRIPT
    if AXE_SCRIPT is None:
        import axe_selenium_python

        path = os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js")
        with open(path, encoding="utf-8") as f:
            AXE_SCRIPT = f.read()
    return AXE_SCRIPT


def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,900",
                     "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-features=Translate,OptimizationHints,MediaRouter",
                     "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-US"):
        options.add_argument(argument)
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    options.set_capability("unhandledPromptBehavior", "ignore")
    service = Service(os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_script_timeout(30)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_AND_ALERT_PROBE})
    driver.execute_cdp_cmd("Network.enable", {})
    return driver


class PageProblems(AssertionError):
    pass


class Browser:
    """One Chromium with the checks every visited screen must pass."""

    def __init__(self, stack, name):
        self.stack = stack
        self.name = name
        self.driver = make_driver()
        self.requests = {}  # requestId → (method, url)
        self.sent = []  # every request seen: (requestId, method, url, postData or None, hasPostData)
        self.perf = []  # performance log entries read but not yet checked
        self.visited = []

    def quit(self):
        try:
            self.driver.quit()
        except Exception:
            pass

    # -- navigation ---------------------------------------------------------------------------
    def url(self, path):
        return self.stack.base + path

    def path(self):
        return self.driver.execute_script("return location.pathname + location.search")

    def open(self, path):
        self.driver.get(self.url(path))

    def wait(self, condition, timeout=15, message="condition"):
        deadline = time.time() + timeout
        last_error = None
        while time.time() < deadline:
            try:
                value = condition()
                if value:
                    return value
            except Exception as error:  # stale elements while a screen re-renders
                last_error = error
            time.sleep(0.05)
        raise AssertionError("timed out waiting for %s on %s (last error: %s)" % (message, self.safe_path(), last_error))

    def safe_path(self):
        try:
            return self.path()
        except Exception:
            return "?"

    def wait_ready(self, path_pattern=None, timeout=15):
        """Waits until <main> says its data has loaded (and the URL matches, when given)."""
        pattern = re.compile(path_pattern) if path_pattern else None

        def ready():
            state = self.driver.execute_script(
                "const m = document.getElementById('main');"
                "return [location.pathname + location.search, m && m.dataset.ready === 'true',"
                " !!(m && m.querySelector('h1'))];")
            return (pattern is None or pattern.search(state[0])) and state[1] and state[2]

        self.wait(ready, timeout, "screen %s to be ready" % (path_pattern or ""))

    def find(self, css):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def link(self, text):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.XPATH, "//a[contains(normalize-space(.), %s)]" % xpath_literal(text))

    def button(self, text):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.XPATH, "//button[normalize-space(.)=%s]" % xpath_literal(text))

    def h1(self):
        return self.find("main h1").text

    def control(self, label, scope=None, radio=False):
        """The form control a <label> (its text without "(required)") or an aria-label names:
        how a screen-reader user finds it. Radio buttons only when `radio` (a choice and a field
        may share a name)."""
        element = self.js("""
            const [wanted, scope, radio] = [arguments[0], arguments[1] || document, arguments[2]];
            const norm = (t) => t.replace(/\\s+/g, ' ').trim();
            for (const label of scope.querySelectorAll('label')) {
              const copy = label.cloneNode(true);
              for (const extra of copy.querySelectorAll('.required, .help')) extra.remove();
              const c = label.control;
              if (norm(copy.textContent) === wanted && c && (c.type === 'radio') === radio) return c;
            }
            return radio ? null : scope.querySelector('[aria-label="' + CSS.escape(wanted) + '"]');
        """, label, scope, radio)
        if element is None:
            raise AssertionError("no control labelled %r on %s" % (label, self.safe_path()))
        return element

    def radio(self, legend, label):
        """The radio button `label` of the <fieldset> whose <legend> is `legend`."""
        from selenium.webdriver.common.by import By

        fieldset = self.driver.find_element(By.XPATH, "//fieldset[legend[normalize-space(.)=%s]]" % xpath_literal(legend))
        return self.control(label, fieldset, radio=True)

    def radio_labels(self, legend):
        """The choices a <fieldset> offers, in order."""
        from selenium.webdriver.common.by import By

        fieldset = self.driver.find_element(By.XPATH, "//fieldset[legend[normalize-space(.)=%s]]" % xpath_literal(legend))
        return [l.text.strip() for l in fieldset.find_elements(By.CSS_SELECTOR, "label")
                if l.get_attribute("for") and self.js("return document.getElementById(arguments[0])?.type",
                                                      l.get_attribute("for")) == "radio"]

    def nav_link(self, text):
        """The link `text` of the main navigation."""
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.XPATH, "//nav[@aria-label='Main']//a[normalize-space(.)=%s]" % xpath_literal(text))

    def nav_texts(self):
        return [a.text.strip() for a in self.find_all("nav[aria-label=Main] a")]

    def fill(self, label, text, scope=None):
        """Types into the control labelled `label` (cleared first)."""
        element = self.control(label, scope)
        element.clear()
        element.send_keys(text)
        return element

    def choose(self, label, visible_text=None, value=None, scope=None):
        """Picks an option of the <select> labelled `label`, or the radio button so labelled."""
        from selenium.webdriver.support.ui import Select

        element = self.control(label, scope)
        if element.tag_name == "select":
            if value is not None:
                Select(element).select_by_value(value)
            else:
                Select(element).select_by_visible_text(visible_text)
        else:
            element.click()
        return element

    def is_shown(self, element):
        """Shown to a user: rendered, not hidden, not inside a closed or hidden ancestor."""
        return self.js("const el = arguments[0]; return !!(el.offsetParent || el.getClientRects().length)"
                       " && !el.closest('[hidden]') && getComputedStyle(el).visibility !== 'hidden';", element)

    def labels_shown(self, scope=None):
        """The texts of the labels of the fields a user sees (in `scope`, else <main>); radio
        buttons are choices, not fields, and are left out (see `radio_labels`)."""
        return self.js("""
            const scope = arguments[0] || document.getElementById('main');
            return Array.from(scope.querySelectorAll('label')).filter((l) => {
              const c = l.control;
              const shown = (el) => el && !!(el.offsetParent || el.getClientRects().length) && !el.closest('[hidden]');
              return shown(l) && (!c || (shown(c) && c.type !== 'radio'));
            }).map((l) => { const copy = l.cloneNode(true);
              for (const extra of copy.querySelectorAll('.required, .help')) extra.remove();
              return copy.textContent.replace(/\\s+/g, ' ').trim(); });
        """, scope)

    def alerts(self):
        """The texts of the role="alert" and role="status" boxes in <main>."""
        return self.js("return Array.from(document.querySelectorAll('main [role=alert], main [role=status]'))"
                       ".map((e) => e.textContent.replace(/\\s+/g, ' ').trim()).filter(Boolean);")

    def main_text(self):
        return self.find("main").text

    def row(self, text, scope=None):
        """The table row whose text contains `text`."""
        from selenium.webdriver.common.by import By

        rows = (scope or self.driver).find_elements(By.XPATH, ".//tr[contains(normalize-space(.), %s)]"
                                                    % xpath_literal(text))
        if not rows:
            raise AssertionError("no table row with %r on %s" % (text, self.safe_path()))
        return rows[0]

    def button_in(self, element, text, prefix=False):
        """The button named `text` inside `element` (with `prefix`: whose name starts with it, as
        "Retry job sync-jira-issues 0193…" whose words after "Retry" only screen readers get)."""
        from selenium.webdriver.common.by import By

        test = "starts-with(normalize-space(.), %s)" if prefix else "normalize-space(.)=%s"
        return element.find_element(By.XPATH, ".//button[%s]" % (test % xpath_literal(text)))

    def heading(self, text):
        """The heading (h1–h6) whose text is `text`."""
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.XPATH, "//main//*[self::h1 or self::h2 or self::h3 or self::h4]"
                                        "[normalize-space(.)=%s]" % xpath_literal(text))

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    # -- the per-screen checks ------------------------------------------------------------------
    def check(self, label, allow=(), widths=True, screenshot=None, axe=True, hosts=()):
        """Every visited screen: console, network, hosts, CSP, alerts, axe, overflow.

        `allow` lists (method, path prefix, status) of failed requests this visit expects (e.g. the
        session probe `POST /auth/refresh` answering 401 to a browser that has no session).
        `hosts` lists other `host:port`s this visit may have reached (the fake Atlassian's consent
        page, which the OAuth flow navigates to and which redirects back).
        """
        problems = []
        self.visited.append(label)
        if axe:
            problems += self.axe_violations()
        if widths:
            problems += self.overflow_problems()
        if screenshot:
            self.screenshot(screenshot)
        problems += self.log_problems(allow, hosts)
        csp, alerts = self.js("const r = [window.__csp || [], window.__alerts || []];"
                              " window.__csp = []; window.__alerts = []; return r;")
        problems += ["CSP violation: %s" % json.dumps(v) for v in csp]
        problems += ["a dialog was opened: %s" % json.dumps(a) for a in alerts]
        if problems:
            raise PageProblems("%s (%s):\n  - %s" % (label, self.safe_path(), "\n  - ".join(problems)))

    def pull_performance(self):
        """Moves new performance log entries into the buffer the next check reads."""
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            self.perf.append(message)
            if message.get("method") == "Network.requestWillBeSent":
                params = message["params"]
                request = params["request"]
                self.requests[params["requestId"]] = (request["method"], request["url"])
                self.sent.append((params["requestId"], request["method"], request["url"],
                                  request.get("postData"), request.get("hasPostData")))

    def log_problems(self, allow, hosts=()):
        problems = []
        allowed_urls = []
        self.pull_performance()
        messages, self.perf = self.perf, []
        for message in messages:
            method, params = message.get("method"), message.get("params", {})
            if method == "Network.requestWillBeSent":
                request = params["request"]
                url = request["url"]
                parts = urlsplit(url)
                if parts.scheme in ("data", "blob"):
                    continue
                if parts.scheme not in ("http", "https", "ws", "wss") or (
                        parts.netloc != self.stack.host and parts.netloc not in hosts):
                    problems.append("request to another host: %s %s" % (request["method"], url))
            elif method == "Network.responseReceived":
                response = params["response"]
                status = response.get("status", 0)
                if status >= 400:
                    req_method, url = self.requests.get(params["requestId"], ("?", response.get("url", "")))
                    path = urlsplit(url).path
                    if any(req_method == m and path.startswith(p) and status == s for m, p, s in allow):
                        allowed_urls.append(url)
                    else:
                        problems.append("failed request: %s %s → %s" % (req_method, url, status))
            elif method == "Network.loadingFailed":
                if params.get("canceled"):
                    continue  # aborted on purpose (a superseded preview) or by the next navigation
                req_method, url = self.requests.get(params["requestId"], ("?", "?"))
                if params.get("blockedReason"):
                    problems.append("request blocked (%s): %s %s" % (params["blockedReason"], req_method, url))
                else:
                    problems.append("request failed (%s): %s %s" % (params.get("errorText"), req_method, url))
        for entry in self.driver.get_log("browser"):
            text = entry.get("message", "")
            if "Content Security Policy" in text or "Content-Security-Policy" in text:
                problems.append("CSP message in the console: %s" % text)
                continue
            if entry.get("level") != "SEVERE":
                continue
            if any(url in text for url in allowed_urls) and "status of 4" in text:
                continue
            problems.append("console error: %s" % text)
        return problems

    def axe_violations(self):
        self.js(axe_source())
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations),"
            " e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));")
        problems = []
        for violation in result:
            if violation.get("impact") in ("serious", "critical"):
                targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])][:5]
                problems.append("axe %s (%s): %s at %s" % (violation["id"], violation["impact"], violation["help"], targets))
        return problems

    def overflow_problems(self):
        problems = []
        for width in (360, 1440):
            self.driver.set_window_size(width, 900)
            self.wait(lambda: self.js("return window.innerWidth") == width, 5, "window width %d" % width)
            scroll, inner, widest = self.js(
                "const d = document.documentElement; let widest = '';"
                "if (d.scrollWidth > innerWidth) { for (const el of document.querySelectorAll('body *')) {"
                "  const r = el.getBoundingClientRect();"
                "  if (r.right > innerWidth + 1) { widest = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')"
                "    + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')"
                "    + ' right=' + Math.round(r.right); break; } } }"
                "return [d.scrollWidth, innerWidth, widest];")
            if scroll > inner:
                problems.append("horizontal overflow at %d px: scrollWidth %d > innerWidth %d (first wide element: %s)"
                                % (width, scroll, inner, widest))
        return problems

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        self.driver.set_window_size(1440, 900)
        self.wait(lambda: self.js("return window.innerWidth") == 1440, 5, "window width 1440")
        self.js("window.scrollTo(0, 0);")
        self.js("document.activeElement && document.activeElement.blur && "
                "document.activeElement !== document.body && document.activeElement.blur();")
        # A 1,440 × 900 viewport exactly, whatever the headless window's own chrome takes.
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        try:
            self.driver.save_screenshot(os.path.join(SCREENSHOTS, name + ".png"))
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # -- common flows ---------------------------------------------------------------------------
    def sign_in(self, person, next_path=None, expect_path=r"^/app/issues"):
        self.open("/app/login" + ("?next=" + next_path if next_path else ""))
        self.wait_ready(r"^/app/login")
        # A browser without a session: the console's session probe is refused with 401.
        self.check("login page", allow=[("POST", "/auth/refresh", 401)], screenshot="login")
        self.type("#login-email", person["email"])
        self.type("#login-password", person["password"])
        self.button("Sign in").click()
        self.wait_ready(expect_path)
        self.wait(lambda: self.find("#current-user").text.strip(), 10, "#current-user")

    def type(self, css, text, clear=True):
        element = self.find(css)
        if clear:
            element.clear()
        element.send_keys(text)
        return element

    def set_value(self, css, value):
        """Sets a control's value at once and fires input/change (long texts, no typing delay)."""
        self.js("const el = document.querySelector(arguments[0]); el.focus(); el.value = arguments[1];"
                "el.dispatchEvent(new Event('input', {bubbles: true}));"
                "el.dispatchEvent(new Event('change', {bubbles: true}));", css, value)

    def sent_bodies(self, method, path):
        """JSON bodies of the requests this browser sent to `path`, oldest first."""
        self.pull_performance()
        bodies = []
        for request_id, req_method, url, post, has_post in self.sent:
            if req_method != method or urlsplit(url).path != path:
                continue
            if post is None and has_post:
                try:
                    post = self.driver.execute_cdp_cmd("Network.getRequestPostData", {"requestId": request_id})["postData"]
                except Exception:
                    post = None
            bodies.append(json.loads(post) if post else None)
        return bodies


def xpath_literal(text):
    if "'" not in text:
        return "'%s'" % text
    if '"' not in text:
        return '"%s"' % text
    return "concat(%s)" % ", \"'\", ".join("'%s'" % part for part in text.split("'"))


def new_id():
    return str(uuid.uuid4())
