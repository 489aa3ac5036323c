"""What the browser tests share: the distribution's Chromium, a local server, a profile cut off from other hosts.

tests/test_browser.py opens the built site and tests/classroom/test_slide_decks.py the slide decks, both as a
classroom without internet would: served on 127.0.0.1, every request to another host recorded and aborted.
"""

import contextlib
import functools
import os
import re
import sys
import threading
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CNN_COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
HOST = "127.0.0.1"
NOT_THIS_HOST = re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*")


def chromium_missing(reason_if_missing: str | None = None) -> None:
    """Skip the calling tests when Chromium is not installed; fail instead under CI, which must run them."""
    if CHROMIUM.is_file():
        return
    reason = reason_if_missing or (f"Chromium is not installed ({CHROMIUM}): `apt-get install chromium` to run the "
                                   "browser tests")
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run them (.ci/run installs it)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser that closes a page drops its pending requests (a favicon, say): no traceback for that."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def served(folder):
    """Serve ``folder`` on 127.0.0.1 as `python -m http.server` would; yields the address, ending in "/"."""
    server = QuietServer((HOST, 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def offline_chromium(profile: Path, viewport=None):
    """Chromium with a new, empty profile in ``profile``; requests to any host but this one are aborted."""
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="Playwright is not installed (requirements.txt has it)")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport=viewport or {"width": 1280, "height": 800})
        context.set_default_timeout(60_000)  # the machine may be busy training models
        context.route(NOT_THIS_HOST, lambda route: route.abort())
        try:
            yield context
        finally:
            context.unroute_all(behavior="ignoreErrors")
            context.close()


class RecordedPage:
    """One page opened in the browser, with every request it made and every error it reported."""

    def __init__(self, context, url):
        self.page = context.new_page()
        self.requests, self.errors, self.failed = [], [], []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("requestfailed", lambda request: self.failed.append(f"{request.url} ({request.failure})"))
        self.page.on("response", lambda response: response.status >= 400 and self.failed.append(
            f"{response.url} (HTTP {response.status})"))
        # "load" covers scripts, stylesheets and images; what a page does after it is for the subclasses to wait for
        self.page.goto(url, wait_until="load")

    def other_hosts(self):
        """Every address the page asked for on another host (all of them aborted)."""
        return sorted({url for url in self.requests if urllib.parse.urlsplit(url).hostname not in (HOST, None)
                       and not url.startswith(("data:", "blob:", "about:"))})

    def close(self):
        self.page.close()
