"""pytest fixtures: one server and fake Jira for the whole run, set up through the API; a fresh
Chromium (fresh profile, so no cookie) per test."""

import os
import signal
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402


def _interrupt(signum, frame):
    raise KeyboardInterrupt("terminated")


# `timeout` in scripts/browser-tests.sh sends SIGTERM: tear down (server, Chromium) like Ctrl-C.
signal.signal(signal.SIGTERM, _interrupt)


@pytest.fixture(scope="session")
def stack():
    stack = harness.Stack().start()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def world(stack):
    try:
        return harness.World(stack).build()
    except Exception:
        sys.stderr.write(stack.server_output())
        raise


@pytest.fixture
def browser(stack, world, request):
    browser = harness.Browser(stack, request.node.name)
    yield browser
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        try:
            browser.screenshot("FAILED-" + request.node.name)
        except Exception:
            pass
        sys.stderr.write("\n--- screens visited by %s: %s\n" % (request.node.name, browser.visited))
        sys.stderr.write(stack.server_output(20))
    browser.quit()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
