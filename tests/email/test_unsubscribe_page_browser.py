"""The unsubscribe pages in a real headless Chromium: the confirmation page's button unsubscribes.

The handler is served over loopback HTTP as a function URL would call it. Needs Selenium and
Debian's chromium and chromium-driver (installed by ``scripts/setup.sh``); skipped without them.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest

from glasswork_email.suppression import InMemorySuppressionStore
from glasswork_email.unsubscribe import UnsubscribeLinks
from glasswork_email.unsubscribe_handler import UnsubscribeHandler

webdriver = pytest.importorskip("selenium.webdriver")
pytestmark = pytest.mark.skipif(
    not (shutil.which("chromium") and shutil.which("chromedriver")),
    reason="Debian's chromium and chromium-driver are not installed",
)

KEY = "unsubscribe-signing-key-for-the-browser-test"


def serve(handler: UnsubscribeHandler) -> tuple[ThreadingHTTPServer, str]:
    """``handler`` behind a loopback HTTP server, each request turned into a function URL event."""

    class Adapter(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            event = {
                "version": "2.0",
                "rawQueryString": urlsplit(self.path).query,
                "headers": dict(self.headers.items()),
                "requestContext": {"http": {"method": self.command}},
                "body": body,
                "isBase64Encoded": False,
            }
            response = handler(event)
            data = response["body"].encode()
            self.send_response(response["statusCode"])
            for name, value in response["headers"].items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _forward

    server = ThreadingHTTPServer(("127.0.0.1", 0), Adapter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/unsubscribe"


@pytest.fixture
def store() -> InMemorySuppressionStore:
    return InMemorySuppressionStore()


@pytest.fixture
def links() -> UnsubscribeLinks:
    return UnsubscribeLinks(KEY, "https://shop.example/unsubscribe")


@pytest.fixture
def page_url(links: UnsubscribeLinks, store: InMemorySuppressionStore) -> Iterator[str]:
    server, url = serve(UnsubscribeHandler(links, store, brand="Glasswork Shop"))
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "chromium"
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    yield driver
    driver.quit()


def test_the_confirmation_page_unsubscribes_when_its_button_is_pressed(
    browser: Any, page_url: str, links: UnsubscribeLinks, store: InMemorySuppressionStore
) -> None:
    from selenium.webdriver.common.by import By

    token = links.token_for("ann@example.com", "newsletter")
    browser.get(f"{page_url}?token={token}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Unsubscribe from Glasswork Shop"
    assert "ann@example.com" in browser.find_element(By.TAG_NAME, "p").text
    assert store.entries() == [], "showing the page changes nothing"

    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    browser.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, 10).until(
        expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Unsubscribed")
    )
    [entry] = store.entries()
    assert (entry.address, entry.topic, entry.cause) == (
        "ann@example.com",
        "newsletter",
        "unsubscribe page",
    )


def test_a_tampered_link_shows_an_error_page_and_writes_nothing(
    browser: Any, page_url: str, links: UnsubscribeLinks, store: InMemorySuppressionStore
) -> None:
    from selenium.webdriver.common.by import By

    token = links.token_for("ann@example.com", "newsletter")
    browser.get(f"{page_url}?token={token[:-3]}abc")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Link not valid"
    assert browser.find_elements(By.TAG_NAME, "button") == []
    assert store.entries() == []
