"""A headless Chromium driven over the Chrome DevTools Protocol (plain websockets, no driver)."""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import re
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_LISTENING = re.compile(r"DevTools listening on (ws://[^\s]+)")


class Page:
    """One browser tab: navigate, run script, click, wait for loads, take screenshots."""

    def __init__(self, ws: ClientConnection) -> None:
        self._ws = ws
        self._ids = itertools.count(1)
        self._events: list[dict[str, Any]] = []
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Run a CDP command and return its result (events received meanwhile are kept)."""
        ident = next(self._ids)
        self._ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self._ws.recv(timeout=60))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._events.append(message)

    def _wait_event(self, method: str, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for n, event in enumerate(self._events):
                if event.get("method") == method:
                    return self._events.pop(n)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {method} within {timeout} s")
            self._events.append(json.loads(self._ws.recv(timeout=remaining)))

    def navigate(self, url: str) -> None:
        """Open url and wait for its load event."""
        self._events.clear()
        self.send("Page.navigate", url=url)
        self._wait_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def fill(self, selector: str, value: str) -> None:
        """Type a value into the input matched by a CSS selector."""
        found = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            f" if (!e) return false; e.value = {json.dumps(value)}; return true; }})()"
        )
        assert found, f"no element {selector}"

    def click_and_wait(self, selector: str) -> None:
        """Click an element that submits a form or follows a link; wait for the next page."""
        self._events.clear()
        found = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " if (!e) return false; e.click(); return true; })()"
        )
        assert found, f"no element {selector}"
        self._wait_event("Page.loadEventFired")

    def text(self) -> str:
        """The page's visible text."""
        return self.evaluate("document.body.innerText")

    def url(self) -> str:
        """The page's current address."""
        return self.evaluate("location.href")

    def print_pdf(self, **options: Any) -> bytes:
        """The page printed to PDF (Page.printToPDF options, e.g. displayHeaderFooter)."""
        data = self.send("Page.printToPDF", **options)
        return base64.b64decode(data["data"])

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        """A PNG of the whole page (full_page=False: the window, for virtualised lists)."""
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=full_page)
        path.write_bytes(base64.b64decode(data["data"]))
        return path


@contextlib.contextmanager
def chromium(profile: Path) -> Iterator[Page]:
    """A headless Chromium with one blank tab, stopped afterwards."""
    assert CHROMIUM, "Debian's chromium is not installed"
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
        "--remote-debugging-port=0", "--remote-allow-origins=*", f"--user-data-dir={profile}",
        "--window-size=1400,1000", "about:blank",
    ]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        browser_ws = None
        deadline = time.monotonic() + 60
        while browser_ws is None and time.monotonic() < deadline:
            line = proc.stderr.readline() if proc.stderr else ""
            if not line and proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {proc.returncode}")
            match = _LISTENING.search(line)
            browser_ws = match.group(1) if match else None
        assert browser_ws, "chromium did not open its DevTools port"
        # Keep draining its log, or chromium blocks once the pipe is full.
        threading.Thread(target=proc.stderr.read, daemon=True).start()
        http = browser_ws.replace("ws://", "http://").split("/devtools/")[0]
        tabs = json.load(urllib.request.urlopen(f"{http}/json/list", timeout=30))
        tab = next(t for t in tabs if t.get("type") == "page")
        with connect(tab["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024) as ws:
            yield Page(ws)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
