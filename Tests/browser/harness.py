"""The browser tests' machinery: the fake Jira and the real `promptsmith serve` binary on SQLite
in a temp folder, an API client for setup and cross-checks, and a Chromium driver whose every
screen goes through the same checks (no console error, no failed request, no other host, no CSP
violation, axe clean, no horizontal overflow at 360 and 1,440 px).

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

import fake_jira

ADMIN_EMAIL = "admin@promptsmith.local"
ADMIN_PASSWORD = "browser-admin-password-1"
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


class Stack:
    """The fake Jira (in this process) and `promptsmith serve` (a child process)."""

    def __init__(self):
        self.binary = os.environ.get("PROMPTSMITH_BIN")
        if not self.binary or not os.access(self.binary, os.X_OK):
            raise RuntimeError("PROMPTSMITH_BIN must name the promptsmith binary (got %r)" % self.binary)
        self.jira_server = None
        self.process = None
        self.work = None

    def start(self):
        self.jira_server = fake_jira.serve(0)
        threading.Thread(target=self.jira_server.serve_forever, daemon=True).start()
        self.jira_url = "http://127.0.0.1:%d" % self.jira_server.server_address[1]
        self.work = tempfile.mkdtemp(prefix="promptsmith-browser.")
        port = free_port()
        self.base = "http://127.0.0.1:%d" % port
        self.host = "127.0.0.1:%d" % port
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
        if self.jira_server:
            self.jira_server.shutdown()
            self.jira_server.server_close()
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

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    # -- the per-screen checks ------------------------------------------------------------------
    def check(self, label, allow=(), widths=True, screenshot=None, axe=True):
        """Every visited screen: console, network, hosts, CSP, alerts, axe, overflow.

        `allow` lists (method, path prefix, status) of failed requests this visit expects (e.g. the
        session probe `POST /auth/refresh` answering 401 to a browser that has no session).
        """
        problems = []
        self.visited.append(label)
        if axe:
            problems += self.axe_violations()
        if widths:
            problems += self.overflow_problems()
        if screenshot:
            self.screenshot(screenshot)
        problems += self.log_problems(allow)
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

    def log_problems(self, allow):
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
                if parts.scheme not in ("http", "https", "ws", "wss") or parts.netloc != self.stack.host:
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
