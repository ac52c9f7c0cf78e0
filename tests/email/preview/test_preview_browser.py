"""The preview in a real headless Chromium: pages, views, fixtures, live reload, error overlay.

Screenshots go to pytest's temporary folder, and also to ``$GLASSWORK_SCREENSHOTS`` when set
(the docs' pictures are made that way: ``GLASSWORK_SCREENSHOTS=docs/images pytest ...``).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import browser_available, chromium, console_errors
from PIL import Image
from preview_support import write_sample_templates
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from glasswork_email.preview import PreviewServer

pytestmark = pytest.mark.skipif(
    not browser_available(), reason="Debian's chromium and chromium-driver are not installed"
)

BRAND = (0x57, 0x53, 0xC6)
RELOAD_TIMEOUT_SECONDS = 20


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    return write_sample_templates(tmp_path / "templates")


@pytest.fixture
def server(templates: Path) -> Iterator[PreviewServer]:
    with PreviewServer(templates, port=0) as running:
        yield running


@pytest.fixture(scope="module")
def chromium_session() -> Iterator[webdriver.Chrome]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def driver(chromium_session: webdriver.Chrome, server: PreviewServer) -> Iterator[webdriver.Chrome]:
    """The browser, on a blank page with no console messages before and after each test."""
    chromium_session.get("about:blank")
    console_errors(chromium_session)
    yield chromium_session
    chromium_session.get("about:blank")  # stop the page's polling before the server stops
    console_errors(chromium_session)


def keep_screenshot(png: bytes, name: str, tmp_path: Path) -> Image.Image:
    (tmp_path / name).write_bytes(png)
    wanted = os.environ.get("GLASSWORK_SCREENSHOTS")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / name, Path(wanted) / name)
    return Image.open(io.BytesIO(png)).convert("RGB")


def assert_shows_an_email(image: Image.Image) -> None:
    """Not blank (no colour covers 97 % of it) and the brand's button is in the picture."""
    pixels = image.width * image.height
    colours = Counter({colour: count for count, colour in image.getcolors(maxcolors=pixels)})
    assert colours.most_common(1)[0][1] < 0.97 * pixels, "the screenshot is blank"
    assert len(colours) > 20, "the screenshot has almost no colours: no text rendered"
    near_brand = sum(
        count
        for colour, count in colours.items()
        if all(abs(a - b) <= 6 for a, b in zip(colour, BRAND, strict=True))
    )
    assert near_brand > 500, "the email's button (brand colour) is not visible"


def settled_screenshot(driver: webdriver.Chrome, element: WebElement | None = None) -> bytes:
    """A screenshot once the email has painted: on a loaded machine the frame's pixels can lag
    its load event, so take it again (a few times) until the brand's button shows."""
    for _attempt in range(10):
        png = element.screenshot_as_png if element else driver.get_screenshot_as_png()
        try:
            assert_shows_an_email(Image.open(io.BytesIO(png)).convert("RGB"))
            return png
        except AssertionError:
            time.sleep(0.5)
    return png


def open_page(driver: webdriver.Chrome, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def test_the_list_page_lists_every_email_and_fixture(
    driver: webdriver.Chrome, server: PreviewServer
) -> None:
    open_page(driver, server.url)
    row = driver.find_element(By.CSS_SELECTOR, 'tr.email-row[data-template="order"]')
    fixtures = [link.text for link in row.find_elements(By.CSS_SELECTOR, "a.fixture")]
    assert fixtures == ["default", "broken (invalid)", "long-name"]
    assert console_errors(driver) == []


@pytest.mark.parametrize(("view", "width"), [("desktop", 820), ("mobile", 375)])
def test_screenshots_at_both_widths_show_the_email(
    driver: webdriver.Chrome, server: PreviewServer, tmp_path: Path, view: str, width: int
) -> None:
    open_page(driver, f"{server.url}/emails/order/default?view={view}")
    frame = driver.find_element(By.CSS_SELECTOR, f"iframe.email.{view}")
    assert frame.size["width"] == width
    image = keep_screenshot(settled_screenshot(driver, frame), f"preview-{view}.png", tmp_path)
    assert image.width == width
    assert_shows_an_email(image)
    driver.switch_to.frame(frame)
    try:
        greeting = driver.find_element(By.XPATH, "//*[contains(text(), 'Hello Ada')]")
        assert greeting.is_displayed()
        assert greeting.rect["x"] + greeting.rect["width"] <= width  # fits, no sideways scroll
        assert driver.find_element(By.LINK_TEXT, "Track it").is_displayed()
    finally:
        driver.switch_to.default_content()
    assert console_errors(driver) == []


def test_the_email_runs_no_script_even_when_it_contains_one(
    driver: webdriver.Chrome, server: PreviewServer, templates: Path
) -> None:
    order = templates / "order.mjml"
    version = server.state.version
    order.write_text(
        order.read_text().replace(
            "</mj-column>",
            '<mj-raw><script>document.title = "pwned"; parent.document.title = "pwned";'
            "</script></mj-raw></mj-column>",
        )
    )
    WebDriverWait(driver, RELOAD_TIMEOUT_SECONDS).until(lambda _d: server.state.version > version)
    open_page(driver, f"{server.url}/emails/order/default")
    driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, "iframe.email"))
    try:
        assert driver.title != "pwned"
    finally:
        driver.switch_to.default_content()
    assert driver.title != "pwned"
    # the blocked script is reported by the browser; nothing else is
    assert all("script" in entry["message"].lower() for entry in console_errors(driver))


def test_dark_mode_view_gives_the_email_prefers_color_scheme_dark(
    driver: webdriver.Chrome, server: PreviewServer, tmp_path: Path
) -> None:
    open_page(driver, f"{server.url}/emails/order/default?view=dark")
    frame = driver.find_element(By.CSS_SELECTOR, "iframe.email.dark")
    image = keep_screenshot(settled_screenshot(driver, frame), "preview-dark.png", tmp_path)
    # the sample layout paints its page #101014 in dark mode (#f4f4f7 in light)
    assert image.getpixel((5, 5)) == (0x10, 0x10, 0x14)
    open_page(driver, f"{server.url}/emails/order/default?view=desktop")
    frame = driver.find_element(By.CSS_SELECTOR, "iframe.email.desktop")
    light = Image.open(io.BytesIO(settled_screenshot(driver, frame))).convert("RGB")
    assert light.getpixel((5, 5)) == (0xF4, 0xF4, 0xF7)


def test_every_view_tab_shows_its_view(driver: webdriver.Chrome, server: PreviewServer) -> None:
    open_page(driver, f"{server.url}/emails/order/default")
    for view in ("mobile", "dark", "text", "mime", "desktop"):
        driver.find_element(By.CSS_SELECTOR, f'nav.views a[data-view="{view}"]').click()
        WebDriverWait(driver, 10).until(
            expected_conditions.presence_of_element_located((By.ID, f"view-{view}"))
        )
    open_page(driver, f"{server.url}/emails/order/default?view=text")
    assert "Hello Ada, order A-1 is on its way." in driver.find_element(By.ID, "text-part").text
    open_page(driver, f"{server.url}/emails/order/default?view=mime")
    assert "Subject: Order A-1" in driver.find_element(By.ID, "mime-source").text
    assert driver.find_element(By.ID, "subject").text == "Order A-1"
    assert driver.find_element(By.ID, "preheader").text == "Thanks, Ada!"
    assert "of Gmail's 102 KB clipping limit" in driver.find_element(By.ID, "html-size").text
    assert console_errors(driver) == []


def test_switching_fixtures_renders_the_other_sample(
    driver: webdriver.Chrome, server: PreviewServer
) -> None:
    open_page(driver, f"{server.url}/emails/order/default?view=text")
    driver.find_element(By.LINK_TEXT, "long-name").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "subject").text == "Order A-2")
    assert "Maximiliane Wolkenstein-Trostburg" in driver.find_element(By.ID, "text-part").text
    driver.find_element(By.LINK_TEXT, "broken").click()
    errors = WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "fixture-errors")).text
    assert "name: Input should be a valid string" in errors
    assert "number: Field required" in errors


def wait_for_text_in_email(driver: webdriver.Chrome, text: str) -> float:
    """Poll the email's frame until ``text`` shows; returns when it did (perf_counter)."""
    deadline = time.perf_counter() + RELOAD_TIMEOUT_SECONDS
    while time.perf_counter() < deadline:
        try:
            frame = driver.find_element(By.CSS_SELECTOR, "iframe.email")
            driver.switch_to.frame(frame)
            try:
                if text in driver.find_element(By.TAG_NAME, "body").text:
                    return time.perf_counter()
            finally:
                driver.switch_to.default_content()
        except Exception:  # the page is reloading under us
            pass
        time.sleep(0.01)
    raise AssertionError(f"{text!r} did not appear within {RELOAD_TIMEOUT_SECONDS} s")


def loaded_at_epoch_ms(driver: webdriver.Chrome) -> float:
    """When the current page (and so its email frame) finished loading, in epoch ms."""
    loaded: float = driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return n.loadEventEnd > 0 ? performance.timeOrigin + n.loadEventEnd : 0;"
    )
    return loaded


def test_saving_a_template_updates_the_open_page_by_itself(
    driver: webdriver.Chrome, server: PreviewServer, templates: Path
) -> None:
    open_page(driver, f"{server.url}/emails/order/default")
    wait_for_text_in_email(driver, "is on its way")
    order = templates / "order.mjml"
    timings = []
    for attempt in range(3):
        previous = "is on its way" if attempt == 0 else f"has shipped ({attempt - 1})"
        changed = f"has shipped ({attempt})"
        source = order.read_text()
        saved_ms = time.time() * 1000
        order.write_text(source.replace(previous, changed, 1))
        wait_for_text_in_email(driver, changed)
        WebDriverWait(driver, 10).until(loaded_at_epoch_ms)
        timings.append(loaded_at_epoch_ms(driver) - saved_ms)
    print(f"save -> email visible in the browser: {', '.join(f'{t:.0f} ms' for t in timings)}")
    assert all(0 < timing < RELOAD_TIMEOUT_SECONDS * 1000 for timing in timings)
    assert console_errors(driver) == []


def test_a_template_error_shows_an_overlay_with_file_line_col_and_the_line(
    driver: webdriver.Chrome, server: PreviewServer, templates: Path, tmp_path: Path
) -> None:
    open_page(driver, f"{server.url}/emails/order/default")
    version = driver.find_element(By.TAG_NAME, "body").get_attribute("data-version")
    order = templates / "order.mjml"
    good = order.read_text()
    order.write_text(good.replace("order {{ number }} is", "order {{ number }is", 1))
    overlay = WebDriverWait(driver, RELOAD_TIMEOUT_SECONDS).until(
        lambda d: d.find_element(By.ID, "error-overlay")
    )
    assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-version") != version
    text = overlay.text
    assert f"{order}:8:1: unexpected '}}'" in text
    assert (
        "order {{ number }is on its way." in overlay.find_element(By.CLASS_NAME, "source-line").text
    )
    keep_screenshot(driver.get_screenshot_as_png(), "preview-error-overlay.png", tmp_path)
    # the email of the last build that compiled is still there under the overlay
    assert driver.find_element(By.CSS_SELECTOR, "iframe.email")
    order.write_text(good)
    WebDriverWait(driver, RELOAD_TIMEOUT_SECONDS).until(
        lambda d: not d.find_elements(By.ID, "error-overlay")
    )
    assert console_errors(driver) == []


REPO = Path(__file__).resolve().parents[3]


def test_the_shipped_templates_in_the_preview(tmp_path: Path) -> None:
    """The repository's own emails at both widths and in dark mode: the docs' pictures."""
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    table = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["glasswork-email"]
    (tmp_path / "pyproject.toml").write_text(  # the repository's compile configuration
        "[tool.glasswork-email]\n"
        + "".join(f"{key} = {json.dumps(value)}\n" for key, value in table.items())
    )
    with PreviewServer(templates, port=0) as server, chromium(1200, 1400) as browser:
        open_page(browser, server.url)
        rows = browser.find_elements(By.CSS_SELECTOR, "tr.email-row")
        assert [row.get_attribute("data-template") for row in rows] == [
            "login_code",
            "order_confirmation",
            "password_reset",
            "welcome",
        ]
        keep_screenshot(browser.get_screenshot_as_png(), "designing-list.png", tmp_path)
        for view in ("desktop", "mobile", "dark"):
            open_page(browser, f"{server.url}/emails/order_confirmation/default?view={view}")
            assert browser.find_element(By.ID, "lint-findings").text == "Lint: no finding."
            page = keep_screenshot(
                settled_screenshot(browser), f"designing-order-{view}.png", tmp_path
            )
            assert_shows_an_email(page)
            frame = browser.find_element(By.CSS_SELECTOR, f"iframe.email.{view}")
            browser.switch_to.frame(frame)
            try:
                body = browser.find_element(By.TAG_NAME, "body").text
            finally:
                browser.switch_to.default_content()
            assert "£39.90" in body and "Total" in body and "£57.90" in body
        assert console_errors(browser) == []
