"""The console end to end in headless Chromium, against the real binary on SQLite with issues
synced from the fake Jira. Every screen a test shows goes through `Browser.check` (console
errors, failed requests, other hosts, CSP violations, dialogs, axe serious/critical, overflow at
360 and 1,440 px)."""

import hashlib
import os
import re
import tempfile
import time

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

import fake_jira
import harness
from harness import DEVELOPER, LEAD, REVOKED

NO_SESSION = [("POST", "/auth/refresh", 401)]


def issue_path(world, key):
    return "/app/issues/%s" % world.issues[key]["id"]


def test_developer_browses_issues(browser, world):
    browser.sign_in(DEVELOPER)
    assert browser.h1() == "Issues"
    assert browser.find("#current-user").text.strip() == DEVELOPER["name"]
    nav = [a.text for a in browser.find_all("nav[aria-label=Main] a")]
    assert "Issues" in nav and "Statistics" not in nav, nav
    browser.check("issues", screenshot="issues")
    links = [a.text for a in browser.find_all("main table a")]
    for key in ("SHOP-142", "SHOP-700", fake_jira.HOSTILE_KEY, "BILL-2291"):
        assert any(text.startswith(key + " ") for text in links), (key, links)

    # Filters live in the URL.
    browser.type("#q", "SHOP-142")
    browser.button("Filter").click()
    browser.wait_ready(r"^/app/issues\?q=SHOP-142$")
    links = [a.text for a in browser.find_all("main table a")]
    assert len(links) == 1 and links[0].startswith("SHOP-142 "), links
    browser.check("issues filtered by key")
    Select(browser.find("#status")).select_by_value("done")
    browser.type("#q", "", clear=True)
    browser.button("Filter").click()
    browser.wait_ready(r"^/app/issues\?status=done$")
    links = [a.text for a in browser.find_all("main table a")]
    assert any(t.startswith("SHOP-151 ") for t in links) and not any(t.startswith("SHOP-142 ") for t in links), links
    browser.check("issues filtered by status")

    # An issue: Markdown rendered as DOM, acceptance criteria from the custom field.
    browser.open(issue_path(world, "SHOP-142"))
    browser.wait_ready(r"^/app/issues/[0-9a-f-]+$")
    assert browser.h1() == "SHOP-142: Apply discount code before tax calculation at checkout"
    articles = browser.find_all("article.markdown")
    assert len(articles) == 2, "description and criteria articles"
    description, criteria = articles
    assert description.find_elements(By.CSS_SELECTOR, "h3, h4, h5, h6"), "headings rendered"
    assert description.find_elements(By.CSS_SELECTOR, "ul li"), "list rendered"
    assert description.find_elements(By.CSS_SELECTOR, "pre code, pre"), "code block rendered"
    assert description.find_elements(By.CSS_SELECTOR, "strong"), "bold rendered"
    assert "107.10 EUR" in criteria.text
    tracker = browser.link("Open in tracker")
    assert tracker.get_attribute("href") == world.stack.jira_url + "/browse/SHOP-142"
    browser.check("issue", screenshot="issue")

    # Back and forward are real history entries.
    browser.link("Generate a prompt").click()
    browser.wait_ready(r"/generate")
    browser.driver.back()
    browser.wait_ready(r"^/app/issues/[0-9a-f-]+$")
    assert browser.h1().startswith("SHOP-142:")
    browser.driver.forward()
    browser.wait_ready(r"/generate")
    browser.check("generate (after back and forward)")


def test_hostile_description_is_inert(browser, world):
    browser.sign_in(DEVELOPER, next_path=issue_path(world, fake_jira.HOSTILE_KEY), expect_path=r"^/app/issues/[0-9a-f-]+$")
    assert browser.h1() == "%s: %s" % (fake_jira.HOSTILE_KEY, fake_jira.HOSTILE_TITLE)
    description = browser.find("article.markdown")
    # The hostile text is shown as text…
    assert "<script>alert(1)</script>" in description.text
    assert "<img src=x onerror=alert(2)>" in description.text
    # …and creates nothing.
    assert browser.js("return document.querySelectorAll('article.markdown script').length") == 0
    assert browser.js("return document.querySelectorAll('main script, main iframe, main object, main embed').length") == 0
    assert browser.js("return document.querySelectorAll('[onerror], [onclick], [onload]').length") == 0
    assert browser.js("return document.querySelectorAll('main img').length") == 0
    bad_links = browser.js(
        "return Array.from(document.querySelectorAll('a[href]'))"
        ".filter(a => !['http:', 'https:'].includes(a.protocol)).map(a => a.outerHTML)")
    assert bad_links == [], bad_links
    assert "click me" in description.text
    click_me = browser.driver.find_elements(By.XPATH, "//article[contains(@class,'markdown')]//*[contains(text(),'click me')]")
    assert click_me and click_me[0].tag_name != "a", "the javascript: link must not be a link"
    click_me[0].click()
    time.sleep(0.3)
    try:
        browser.driver.switch_to.alert
        raise AssertionError("an alert opened")
    except NoAlertPresentException:
        pass
    assert re.match(r"^/app/issues/[0-9a-f-]+$", browser.path())
    browser.check("hostile issue")


def wait_token_count(browser, expected):
    browser.wait(lambda: browser.find("#token-count").text.strip() == str(expected), 10,
                 "#token-count to show %s (shows %r)" % (expected, browser.find("#token-count").text))


def test_generate_prompt_then_attach_outputs(browser, world, stack):
    issue = world.issues["SHOP-700"]
    browser.sign_in(DEVELOPER)
    browser.open(issue_path(world, "SHOP-700"))
    browser.wait_ready(r"^/app/issues/[0-9a-f-]+$")
    browser.check("issue SHOP-700")
    browser.link("Generate a prompt").click()
    browser.wait_ready(r"^/app/issues/[0-9a-f-]+/generate")
    assert browser.h1() == "Generate a prompt for SHOP-700"
    template_select = Select(browser.find("#template"))
    template_select.select_by_visible_text(harness.TEMPLATE_NAME)
    browser.wait(lambda: browser.find_all("#var-audience"), 10, "the variables form")
    models = [o.text for o in Select(browser.find("#model")).options]
    _, api_models, _ = stack.api.call("GET", "/models", token=world.developer, expect=200)
    default_model = next(m["model"] for m in api_models if m["default"])
    assert Select(browser.find("#model")).first_selected_option.get_attribute("value") == default_model, models
    # Defaults from the schema fill the form.
    assert Select(browser.find("#var-audience")).first_selected_option.text == "backend"
    assert browser.find("#var-include_tests").is_selected()
    assert browser.find("#var-max_files").get_attribute("value") == "5"
    # Fill it in as a developer would.
    Select(browser.find("#var-audience")).select_by_visible_text("frontend")
    browser.type("#var-notes", "Keep the export streaming; no new dependency.")
    browser.find("#var-include_tests").click()
    max_files = browser.find("#var-max_files")
    max_files.send_keys(Keys.CONTROL, "a")
    max_files.send_keys("3")
    expected_vars = {"audience": "frontend", "notes": "Keep the export streaming; no new dependency.",
                     "include_tests": False, "max_files": 3}

    # The token count the page shows is the API's for the very body the page sent.
    def last_preview_vars():
        bodies = [b for b in browser.sent_bodies("POST", "/prompts/preview") if b]
        return bodies[-1] if bodies and bodies[-1].get("vars") == expected_vars else None

    sent = browser.wait(last_preview_vars, 10, "a preview request with the filled-in variables")
    assert sent["issueId"] == issue["id"] and sent["templateId"] == world.template["id"], sent
    _, answer, _ = stack.api.call("POST", "/prompts/preview", sent, token=world.developer, expect=200)
    replay = dict(sent)
    replay.pop("ide", None)
    _, plain, _ = stack.api.call("POST", "/prompts/preview", {
        "issueId": issue["id"], "templateId": world.template["id"], "vars": expected_vars,
    }, token=world.developer, expect=200)
    assert plain["tokens"] == answer["tokens"], "the default model is what the page sent"
    wait_token_count(browser, answer["tokens"])
    browser.wait(lambda: browser.find("#preview").text.strip() == answer["promptText"].strip(), 10, "the preview text")
    assert "You are a frontend engineer." in answer["promptText"]
    assert "Write tests first." not in answer["promptText"]
    browser.check("generate with preview", screenshot="generate")

    # Generate stores a version with the same count.
    browser.button("Generate").click()
    browser.wait(lambda: browser.find("#generated").is_displayed(), 15, "#generated")
    generated = browser.find("#generated")
    generate_bodies = [b for b in browser.sent_bodies("POST", "/prompts/generate") if b]
    assert generate_bodies and generate_bodies[-1]["vars"] == expected_vars, generate_bodies
    _, prompts, _ = stack.api.call("GET", "/prompts?mine=true", token=world.developer, expect=200)
    prompt = next(p for p in prompts if p["issueId"] == issue["id"])
    _, full, _ = stack.api.call("GET", "/prompts/%s" % prompt["id"], token=world.developer, expect=200)
    latest = full["versions"][-1]
    _, version, _ = stack.api.call("GET", "/prompt-versions/%s" % latest["id"], token=world.developer, expect=200)
    assert version["tokens"] == answer["tokens"], (version["tokens"], answer["tokens"])
    assert version["promptText"] == answer["promptText"]
    assert str(answer["tokens"]) in generated.text.replace(",", "")
    download = browser.link("Download .md")
    assert download.get_attribute("download").endswith(".md")
    assert download.get_attribute("href").startswith("blob:")
    browser.driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": stack.base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    browser.button("Copy to clipboard").click()
    browser.wait(lambda: "Copied" in generated.text, 5, "the copy confirmation")
    browser.check("generated")

    # The prompt page: attach a text output, then a small file.
    browser.link("Open the prompt").click()
    browser.wait_ready(r"^/app/prompts/[0-9a-f-]+$")
    assert "SHOP-700" in browser.h1()
    browser.check("prompt")
    text = "Here is the CSV export.\n\n```python\nwriter.writerow(header)\n```\n"
    browser.type("#output-text", text)
    browser.button("Upload").click()
    result = browser.wait(lambda: browser.find("#upload-result").text.strip() and browser.find("#upload-result"), 15,
                          "#upload-result")
    # Stored byte for byte as typed: the console sends the text as a Blob, which multipart
    # encoding leaves alone (a plain string field would get CRLF line breaks).
    sent_bytes = text.encode()
    digest = hashlib.sha256(sent_bytes).hexdigest()
    assert digest in result.text, result.text
    assert re.search(r"Deduplicated\s+no", result.text), result.text
    assert browser.find("#upload-progress").get_attribute("value") == "100"
    browser.check("prompt after a text upload")

    folder = tempfile.mkdtemp(prefix="promptsmith-upload.")
    path = os.path.join(folder, "export-notes.md")
    with open(path, "wb") as f:
        f.write(sent_bytes)  # the same bytes: stored once, the answer says deduplicated
    browser.find("#output-file").send_keys(path)
    browser.button("Upload").click()
    browser.wait(lambda: re.search(r"Deduplicated\s+yes", browser.find("#upload-result").text), 15,
                 "the second upload's result")
    assert digest in browser.find("#upload-result").text
    browser.wait(lambda: "export-notes.md" in browser.find("main").text, 5, "the file in the outputs list")
    browser.check("prompt after a file upload", screenshot="prompt")
    _, outputs, _ = stack.api.call("GET", "/outputs?promptVersionId=%s" % latest["id"], token=world.developer, expect=200)
    assert [(o["kind"], o["checksum"], o["filename"]) for o in outputs] == [
        ("text", digest, None), ("file", digest, "export-notes.md")], outputs

    # The developer reviews the text output: changes requested, with the pull request.
    first = outputs[0]["id"]
    Select(browser.find("#review-verdict-%s" % first)).select_by_value("changes_requested")
    browser.set_value("#review-comment-%s" % first, "Missing the CSV header")
    browser.set_value("#review-link-%s" % first, "https://github.com/acme/shop/pull/7")
    browser.find("#review-verdict-%s" % first).find_element(By.XPATH, "ancestor::form").find_element(
        By.CSS_SELECTOR, "button[type=submit]").click()
    browser.wait(lambda: "Changes requested" in browser.find("main").text, 10, "the saved review")
    _, reviewed, _ = stack.api.call("GET", "/outputs/%s" % first, token=world.developer, expect=200)
    assert reviewed["review"]["verdict"] == "changes_requested", reviewed
    assert reviewed["review"]["links"] == ["https://github.com/acme/shop/pull/7"], reviewed
    browser.check("prompt after a review")

    # My prompts lists it.
    browser.link("My prompts").click()
    browser.wait_ready(r"^/app/prompts$")
    assert any(a.text.startswith("SHOP-700") for a in browser.find_all("main table a"))
    browser.check("my prompts")


LINT_BODY_BROKEN = "# Review {{key}}\n\nCheck {{title}} against:\n{{criteria}}\nFocus: {{focus_area}}\n"
LINT_BODY_FIXED = "# Review {{key}}\n\nCheck {{title}} against:\n{{criteria}}\nFocus: {{focus}}\n"
LINT_SCHEMA = '{\n  "type": "object",\n  "properties": {\n    "focus": {"type": "string", "default": "security"}\n  }\n}'


def diagnostics(browser):
    return [
        {k: li.get_attribute("data-" + k) for k in ("severity", "code", "line", "column")} | {"text": li.text}
        for li in browser.find_all("#diagnostics li")
    ]


def test_lead_writes_a_template(browser, world, stack):
    browser.sign_in(LEAD)
    browser.link("Templates").click()
    browser.wait_ready(r"^/app/templates$")
    assert harness.TEMPLATE_NAME in browser.find("main").text
    browser.check("templates")
    browser.link("New template").click()
    browser.wait_ready(r"^/app/templates/new$")
    browser.check("new template")
    browser.type("#template-name", "review-checklist")
    browser.set_value("#template-schema", LINT_SCHEMA)
    browser.set_value("#template-body", LINT_BODY_BROKEN)
    # The undefined variable is on line 5, column 10 (after "Focus: {{").
    browser.wait(lambda: any(d["code"] == "undefined-variable" for d in diagnostics(browser)), 10,
                 "the lint diagnostic")
    found = [d for d in diagnostics(browser) if d["code"] == "undefined-variable"]
    assert found[0]["line"] == "5" and found[0]["severity"] == "error", found
    assert "line 5, column %s" % found[0]["column"] in found[0]["text"], found
    assert found[0]["column"] == "10", found
    assert "focus_area" in found[0]["text"]
    browser.check("template editor with a lint error", screenshot="template-editor-lint")

    browser.set_value("#template-body", LINT_BODY_FIXED)
    browser.wait(lambda: not [d for d in diagnostics(browser) if d["severity"] == "error"], 10, "the error to go")
    Select(browser.find("#preview-issue")).select_by_value(world.issues["SHOP-142"]["id"])
    browser.wait(lambda: "Review SHOP-142" in browser.find("#preview").text, 10, "the preview")
    assert "Focus: security" in browser.find("#preview").text
    _, expected, _ = stack.api.call("POST", "/prompts/preview", {
        "issueId": world.issues["SHOP-142"]["id"], "vars": {"focus": "security"},
        "templateOverride": {"bodyMd": LINT_BODY_FIXED, "lintJson": {"type": "object", "properties": {"focus": {"type": "string", "default": "security"}}}},
    }, token=world.lead, expect=200)
    wait_token_count(browser, expected["tokens"])
    browser.check("template editor, fixed")
    browser.button("Save").click()
    browser.wait_ready(r"^/app/templates/[0-9a-f-]{36}$")
    template_id = browser.path().rsplit("/", 1)[1]
    _, saved, _ = stack.api.call("GET", "/prompt-templates/%s" % template_id, token=world.lead, expect=200)
    assert saved["version"] == 1 and saved["bodyMd"] == LINT_BODY_FIXED and saved["name"] == "review-checklist"
    browser.check("template editor, saved")

    # Edit again: version 2.
    browser.wait(lambda: browser.find("#template-body").get_attribute("value") == LINT_BODY_FIXED, 10, "the saved body")
    body = browser.find("#template-body")
    body.send_keys(Keys.CONTROL, Keys.END)
    body.send_keys("Answer with a numbered list.\n")
    browser.wait(lambda: "numbered list" in browser.find("#preview").text, 10, "the preview of the edit")
    browser.button("Save").click()

    def saved_version():
        _, t, _ = stack.api.call("GET", "/prompt-templates/%s" % template_id, token=world.lead, expect=200)
        return t["version"] == 2 and t
    saved = browser.wait(saved_version, 10, "version 2")
    assert saved["bodyMd"].endswith("Answer with a numbered list.\n")
    browser.wait_ready(r"^/app/templates/%s$" % template_id)
    browser.check("template editor, version 2", screenshot="template-editor")

    # History and diff.
    browser.link("History").click()
    browser.wait_ready(r"^/app/templates/%s/history" % template_id)
    browser.wait(lambda: len(Select(browser.find("#diff-to")).options) >= 2, 10, "the versions")
    Select(browser.find("#diff-from")).select_by_value("1")
    Select(browser.find("#diff-to")).select_by_value("2")
    browser.wait(lambda: "Answer with a numbered list." in browser.find("#diff").text, 10, "the diff")
    _, diff, _ = stack.api.call("GET", "/prompt-templates/%s/diff?from=1&to=2" % template_id, token=world.lead, expect=200)
    assert any(l["kind"] == "added" and "numbered list" in l["text"] for h in diff["body"]["hunks"] for l in h["lines"])
    history_text = browser.find("main").text
    assert LEAD["name"] in history_text or LEAD["email"] in history_text, "versions name their author"
    browser.check("template history (unified)")
    browser.button("Side by side").click()
    browser.wait(lambda: browser.button("Unified"), 5, "the toggle back to unified")
    browser.wait(lambda: "numbered list" in browser.find("#diff").text, 10, "the side-by-side diff")
    browser.check("template history (side by side)", screenshot="template-history")

    # Labels: production on version 1, which generation now uses by default.
    browser.wait(lambda: "No label yet" in browser.find("#labels").text, 10, "the empty labels")
    Select(browser.find("#label-version")).select_by_value("1")
    browser.button("Move label").click()
    browser.wait(lambda: "Version 1" in browser.find("#labels").text, 10, "the moved label")
    _, labels, _ = stack.api.call("GET", "/prompt-templates/%s/labels" % template_id, token=world.lead, expect=200)
    assert [(l["label"], l["version"]) for l in labels] == [("production", 1)], labels
    _, generated, _ = stack.api.call("POST", "/prompts/generate", {
        "issueId": world.issues["SHOP-139"]["id"], "templateId": template_id,
    }, token=world.lead, expect=201)
    assert (generated["templateVersion"], generated["templateLabel"]) == (1, "production"), generated

    # The diff between what generation uses and the newest version, by label.
    browser.wait(lambda: any(o.get_attribute("value") == "production" for o in Select(browser.find("#diff-from")).options), 10, "the label options")
    Select(browser.find("#diff-from")).select_by_value("production")
    Select(browser.find("#diff-to")).select_by_value("latest")
    browser.wait(lambda: "numbered list" in browser.find("#diff").text, 10, "the diff by label")

    # The check of version 2 against production on that issue: one more line, no failure.
    Select(browser.find("#check-candidate")).select_by_value("2")
    browser.button("Run check").click()
    browser.wait(lambda: "SHOP-139" in browser.find("#check-result").text, 15, "the check's results")
    summary = browser.find("#check-summary").text
    assert "on 1 issue(s): 0 failure(s)" in summary, summary
    browser.check("template history, labels and check", screenshot="template-lifecycle")

    # Outcomes: the generation above counts for version 1; two versions compare honestly.
    browser.button("Show").click()
    _, quality, _ = stack.api.call("GET", "/stats/templates/%s" % template_id, token=world.lead, expect=200)
    used = next(v for v in quality["versions"] if v["version"] == 1)
    assert used["generations"] >= 1, quality
    browser.wait(lambda: browser.find("#outcomes tr[data-version='1']").text.split()[2] == str(used["generations"]), 10, "the outcomes table")
    assert "production" in browser.find("#outcomes tr[data-version='1']").text
    Select(browser.find("#compare-a")).select_by_value("production")
    Select(browser.find("#compare-b")).select_by_value("2")
    browser.button("Compare").click()
    browser.wait(lambda: browser.find("#compare-verdict").text == "Not enough data yet.", 10, "the verdict")
    _, compared, _ = stack.api.call("GET", "/stats/templates/%s/compare?a=production&b=2" % template_id, token=world.lead, expect=200)
    assert compared["verdict"] == "not_enough_data" and compared["a"]["version"] == 1, compared
    browser.check("template history, outcomes", screenshot="template-outcomes")


def test_lead_reads_statistics(browser, world, stack):
    # Generate one prompt through the API so the charts have a value today.
    stack.api.call("POST", "/prompts/generate", {
        "issueId": world.issues["SHOP-139"]["id"], "templateId": world.template["id"],
        "vars": {"audience": "backend"}, "ide": "vscode",
    }, token=world.lead, expect=201)
    browser.sign_in(LEAD)
    nav = [a.text for a in browser.find_all("nav[aria-label=Main] a")]
    assert "Statistics" in nav, nav
    browser.link("Statistics").click()
    browser.wait_ready(r"^/app/stats")
    charts = browser.find_all("svg[role=img]")
    assert len(charts) >= 3, "per day, by IDE, top templates: %d charts" % len(charts)
    for chart in charts:
        title = chart.find_elements(By.CSS_SELECTOR, "title")
        assert title and title[0].get_attribute("textContent").strip(), "every chart has a <title>"
        assert chart.find_elements(By.CSS_SELECTOR, "text"), "labels and values are text, not only colour"
    text = browser.find("main").text
    assert "vscode" in text, "the IDE chart names its bars"
    assert harness.TEMPLATE_NAME in text, "the top templates chart names the template"
    browser.check("statistics (7 days)")
    browser.button("30 days").click()
    browser.wait(lambda: browser.path() == "/app/stats?range=30", 5, "the range in the URL")
    browser.wait(lambda: "last 30 days" in browser.find("main").text, 10, "the charts for 30 days")
    browser.check("statistics (30 days)")
    browser.button("7 days").click()
    browser.wait(lambda: browser.js("return document.getElementById('main').dataset.ready === 'true'"), 10)
    browser.wait(lambda: len(browser.find_all("svg[role=img]")) >= 3, 10, "the charts for 7 days")
    browser.check("statistics (7 days)", screenshot="stats")


def test_developer_may_not_see_statistics(browser, world):
    browser.sign_in(DEVELOPER)
    browser.open("/app/stats")
    browser.wait_ready(r"^/app/stats")
    assert browser.h1() == "Not allowed"
    assert "You are not allowed to see this page." in browser.find("main").text
    browser.check("stats as a developer")
    browser.open("/app/templates/new")
    browser.wait_ready(r"^/app/templates/new")
    assert browser.h1() == "Not allowed"
    browser.check("template editor as a developer")


def test_reload_keeps_the_session_and_sign_out_ends_it(browser, world):
    browser.sign_in(DEVELOPER)
    browser.link("My prompts").click()
    browser.wait_ready(r"^/app/prompts$")
    browser.check("my prompts")
    browser.driver.refresh()
    browser.wait_ready(r"^/app/prompts$")
    browser.wait(lambda: browser.find("#current-user").text.strip() == DEVELOPER["name"], 10, "the user after reload")
    assert browser.js("return Object.keys(localStorage).length + Object.keys(sessionStorage).length") == 0, \
        "no token in web storage"
    assert not any(c["name"] == "ps_refresh" and not c.get("httpOnly") for c in browser.driver.get_cookies())
    browser.check("my prompts after reload")
    browser.button("Sign out").click()
    browser.wait_ready(r"^/app/login")
    assert not browser.find_all("#current-user") or not browser.find("#current-user").text.strip()
    browser.check("login after sign-out")
    # The session is gone on the server too: a reload does not bring it back.
    browser.open("/app/prompts")
    browser.wait_ready(r"^/app/login\?next=")
    browser.check("login after sign-out and reload", allow=NO_SESSION)


def test_revoked_session_lands_on_login(browser, world, stack):
    browser.sign_in(REVOKED)
    # The admin resets the user's password: every session of the user is revoked.
    user = world.users[REVOKED["email"]]
    stack.api.call("PATCH", "/users/%s" % user["id"], {"password": "another-password-12"}, token=world.admin, expect=200)
    browser.link("My prompts").click()
    browser.wait_ready(r"^/app/login\?")
    query = browser.path()
    assert "reason=expired" in query and "next=%2Fapp%2Fprompts" in query, query
    assert "Your session has ended. Sign in again." in browser.find("main").text
    browser.check("login after revocation", allow=[("GET", "/", 401), ("POST", "/auth/refresh", 401)])


def test_the_checks_catch_problems(browser, world):
    """The per-screen checks are not vacuous: a page made to break each rule fails them."""
    browser.open("/app/login")
    browser.wait_ready(r"^/app/login")
    browser.check("login page", allow=NO_SESSION)
    browser.js("""
        const img = document.createElement('img');
        img.src = 'http://192.0.2.1/tracker-pixel.png';   // another host, refused by img-src
        document.body.append(img);
        const low = document.createElement('p');
        low.textContent = 'barely readable';
        low.style.color = '#eeeeee';                       // contrast far below AA
        document.getElementById('main').append(low);
        const wide = document.createElement('div');
        wide.style.width = '2000px';
        wide.textContent = 'wide';
        document.getElementById('main').append(wide);
        console.error('something broke');
        fetch('/no-such-endpoint');
        alert('hi');
    """)
    time.sleep(0.5)
    try:
        browser.check("deliberately broken page")
    except harness.PageProblems as problems:
        text = str(problems)
    else:
        raise AssertionError("the checks found nothing on a broken page")
    for expected in ("CSP violation", "192.0.2.1", "color-contrast", "horizontal overflow at 360 px",
                     "console error", "failed request: GET %s/no-such-endpoint → 404" % world.stack.base,
                     "a dialog was opened"):
        assert expected in text, "%r not reported:\n%s" % (expected, text)


READY_PROBE = """
new MutationObserver(() => {
  const main = document.getElementById('main');
  if (main && main.dataset.ready === 'true' && window.__readyAt === undefined) {
    window.__readyAt = performance.now();
  }
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready']});
"""

CHAIN = """
const nav = performance.getEntriesByType('navigation')[0];
const entries = [{name: location.pathname, start: nav.startTime, end: nav.responseEnd}].concat(
  performance.getEntriesByType('resource').filter(e => e.startTime < window.__readyAt)
    .map(e => ({name: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd})));
entries.sort((a, b) => a.start - b.start);
for (const entry of entries) {
  const before = entries.filter(o => o !== entry && o.depth !== undefined && o.end <= entry.start);
  entry.depth = 1 + Math.max(0, ...before.map(o => o.depth));
}
const preloads = [...document.querySelectorAll('link[rel=modulepreload]')]
  .map(link => new URL(link.href).pathname);
return {readyAt: window.__readyAt, entries: entries, preloads: preloads};
"""


def first_screen_budget_ms():
    """300 ms, the target, for a release binary. A debug build spends about 4 ms of CPU on any
    request (10× release), 28 module requests included, so there the budget only guards against
    gross regressions (modules discovered one by one, a request more in the chain)."""
    return 300 if "/release/" in os.environ.get("PROMPTSMITH_BIN", "") else 1000


def test_first_screen_is_interactive_fast_in_few_round_trips(browser, world):
    """A signed-in developer opens /app/issues with an empty cache: the list is on screen in
    under 300 ms (release build), after at most four sequential round trips (HTML → modules, all
    preloaded → session refresh → data). The median of five loads, on loopback."""
    browser.sign_in(DEVELOPER)
    browser.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": READY_PROBE})
    browser.driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    loads = []
    for _ in range(5):
        browser.open("/app/issues")
        browser.wait_ready(r"^/app/issues")
        loads.append(browser.js(CHAIN))
    browser.check("issues (timed, cold cache)")
    times = sorted(load["readyAt"] for load in loads)
    median = times[len(times) // 2]
    chains = [max(entry["depth"] for entry in load["entries"]) for load in loads]
    print("first screen ready after %s ms, round trips %s" % ([round(t) for t in times], chains))
    for entry in loads[-1]["entries"]:
        print("  %-45s %6.0f → %6.0f ms  depth %d" % (entry["name"][-45:], entry["start"], entry["end"], entry["depth"]))
    assert median < first_screen_budget_ms(), times
    # The chain is read from timings, so a load on a busy machine can look one step deeper (a
    # request queued behind a slow answer): judge the typical load, the median one.
    typical = sorted(loads, key=lambda load: max(e["depth"] for e in load["entries"]))[len(loads) // 2]
    assert max(e["depth"] for e in typical["entries"]) <= 4, [(e["name"], e["depth"]) for e in typical["entries"]]
    # Every module the first screen fetched is one of the page's preload links, which the
    # browser asks for all at once: none is discovered one by one by another module's imports.
    # (Read from the page, not from the timings: the browser issues 28 preloads over a few
    # milliseconds, and a fast first answer made a late one look a step deeper on a busy
    # machine.)
    for load in loads:
        modules = [e["name"] for e in load["entries"] if e["name"].endswith(".js")]
        assert modules and set(modules) <= set(load["preloads"]), sorted(set(modules) - set(load["preloads"]))


FOCUS = """
const el = document.activeElement;
const style = getComputedStyle(el);
return {tag: el.tagName, id: el.id, text: (el.textContent || '').trim().slice(0, 40),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
"""


def test_keyboard_only_sign_in_and_navigation(browser, world):
    """Without a mouse: the skip link comes first, sign-in works with Tab and Enter, the main
    navigation is reached (Shift+Tab) and followed with Enter, and every focused control shows a
    visible outline."""
    from selenium.webdriver.common.action_chains import ActionChains

    browser.open("/app/login")
    browser.wait_ready(r"^/app/login")
    keys = ActionChains(browser.driver)
    keys.send_keys(Keys.TAB).perform()
    first = browser.js(FOCUS)
    assert first["text"] == "Skip to content" and first["outline"], first
    # Tab on to the e-mail field, whatever few controls come before it
    for _ in range(6):
        if browser.js(FOCUS)["id"] == "login-email":
            break
        keys.send_keys(Keys.TAB).perform()
    assert browser.js(FOCUS)["id"] == "login-email"
    assert browser.js(FOCUS)["outline"], "the focused field shows it"
    keys.send_keys(DEVELOPER["email"], Keys.TAB, DEVELOPER["password"], Keys.ENTER).perform()
    browser.wait_ready(r"^/app/issues")
    # the focus moved to the new screen's heading; Shift+Tab back to "My prompts" in the navigation
    for _ in range(30):
        keys.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        focused = browser.js(FOCUS)
        assert focused["tag"] == "BODY" or focused["outline"], focused
        if focused["tag"] == "A" and focused["text"] == "My prompts":
            break
    assert focused["text"] == "My prompts", focused
    keys.send_keys(Keys.ENTER).perform()
    browser.wait_ready(r"^/app/prompts")
    browser.check("prompts (reached by keyboard)", allow=NO_SESSION)
