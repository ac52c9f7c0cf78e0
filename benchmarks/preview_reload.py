"""Preview reload benchmark: save a template → the change visible in the open browser page.

Two preview servers over two copies of the shipped templates (with the repository's compile
configuration), one headless Chromium (Debian's ``chromium`` and ``chromium-driver``), and
``order_confirmation``'s page open. Each round saves the template with one more line of text,
then, taking turns round by round:

- live reload: the server's file watcher recompiles, the page's long poll on ``/version``
  answers and the page reloads itself; the figure is from just before the save to the end of
  the new page's load event (its email frame loaded), both on this machine's clock;
- baseline: the same save on a server that does not watch its folder, the same recompile
  called directly (``PreviewState.rebuild``), then ``driver.refresh()``; the figure is the
  recompile plus that page load, i.e. what a person gets by reloading by hand the moment the
  compile ends, with no time lost noticing the save or telling the page.

The ratio of the medians (live / baseline) is the cost of live reload itself: the watcher's
latency, the long poll's answer and the reload it triggers. Target: ≤ 1.5. Run:
``.venv/bin/python benchmarks/preview_reload.py [--rounds 10]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "email" / "preview"))  # the browser tests' Chromium

from browser import browser_available, chromium  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

from glasswork_email.preview import PreviewServer  # noqa: E402

TARGET_RATIO = 1.5
"""Live reload / (the same recompile + a manual refresh), medians, at most."""
TEMPLATE = "order_confirmation"
TIMEOUT_SECONDS = 30.0
_LOADED_AT = (
    "const n = performance.getEntriesByType('navigation')[0];"
    "return n.loadEventEnd > 0 ? [performance.timeOrigin, n.loadEventEnd] : null;"
)


def copy_templates(target: Path) -> Path:
    """The shipped templates under ``target``, with the repository's compile configuration."""
    templates = target / "templates"
    shutil.copytree(REPO / "templates", templates)
    table = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["glasswork-email"]
    (target / "pyproject.toml").write_text(
        "[tool.glasswork-email]\n"
        + "".join(f"{key} = {json.dumps(value)}\n" for key, value in table.items())
    )
    return templates


def save_revision(template: Path, original: str, revision: int) -> str:
    """Write ``original`` with a visible line naming ``revision``; returns that line."""
    line = f"Preview revision {revision}"
    template.write_text(
        original.replace("<mj-column>", f"<mj-column>\n    <mj-text>{line}</mj-text>", 1)
    )
    return line


def wait_until(driver: Any, condition: Callable[[Any], Any]) -> Any:
    return WebDriverWait(driver, TIMEOUT_SECONDS, poll_frequency=0.005).until(condition)


def loaded_at(driver: Any) -> tuple[float, float] | None:
    """The page's time origin and load event end (ms), once it has loaded."""
    found: list[float] | None = driver.execute_script(_LOADED_AT)
    return (found[0], found[1]) if found else None


def shows(driver: Any, line: str) -> bool:
    """Whether the page has loaded and its email (a sandboxed frame, read through the
    driver) shows ``line``."""
    try:
        if loaded_at(driver) is None:
            return False
        driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, "iframe.email"))
        try:
            return line in driver.find_element(By.TAG_NAME, "body").text
        finally:
            driver.switch_to.default_content()
    except WebDriverException:  # the page is reloading under us
        return False


def live_round(driver: Any, server: PreviewServer, original: str, revision: int) -> float:
    """Save, wait for the page to reload itself; ms from the save to the new page's load."""
    template = server.state.source / f"{TEMPLATE}.mjml"
    saved_ms = time.time() * 1000
    line = save_revision(template, original, revision)
    wait_until(driver, lambda d: shows(d, line))
    origin, load_end = loaded_at(driver) or (0.0, 0.0)
    return origin + load_end - saved_ms


def baseline_round(
    driver: Any, server: PreviewServer, original: str, revision: int
) -> tuple[float, float]:
    """Save, recompile, refresh by hand; the recompile's and the page load's ms."""
    template = server.state.source / f"{TEMPLATE}.mjml"
    line = save_revision(template, original, revision)
    started = time.perf_counter()
    server.state.rebuild()
    compile_ms = (time.perf_counter() - started) * 1000
    driver.refresh()
    wait_until(driver, lambda d: shows(d, line))
    _origin, load_end = loaded_at(driver) or (0.0, 0.0)
    return compile_ms, load_end


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def show(label: str, values: list[float]) -> None:
    print(
        f"  {label:<40} median {statistics.median(values):6.0f} ms   "
        f"p90 {percentile(values, 0.9):6.0f} ms   (best {min(values):.0f} ms)"
    )


def measure(workdir: Path, rounds: int) -> None:
    """Run the rounds in ``workdir`` and print the figures."""
    live_templates = copy_templates(workdir / "live")
    still_templates = copy_templates(workdir / "still")
    original = (REPO / "templates" / f"{TEMPLATE}.mjml").read_text()
    page = f"/emails/{TEMPLATE}/default"
    live_ms: list[float] = []
    compile_ms: list[float] = []
    refresh_ms: list[float] = []
    with (
        PreviewServer(live_templates, port=0) as live,
        PreviewServer(still_templates, port=0, watch=False) as still,
        chromium() as driver,
    ):
        for revision in range(rounds + 1):  # the first round of each warms up, untimed
            driver.get(live.url + page)
            wait_until(driver, lambda d: loaded_at(d) is not None)
            took = live_round(driver, live, original, revision)
            driver.get(still.url + page)
            wait_until(driver, lambda d: loaded_at(d) is not None)
            compiled, refreshed = baseline_round(driver, still, original, revision)
            if revision:
                live_ms.append(took)
                compile_ms.append(compiled)
                refresh_ms.append(refreshed)
    baseline_ms = [c + r for c, r in zip(compile_ms, refresh_ms, strict=True)]
    print(
        f"save → visible in the browser, {TEMPLATE}, {rounds} rounds each, alternating; "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    show("live reload (save → new page loaded)", live_ms)
    show("baseline: recompile + manual refresh", baseline_ms)
    show("  of which the recompile", compile_ms)
    show("  of which the refresh's page load", refresh_ms)
    ratio = statistics.median(live_ms) / statistics.median(baseline_ms)
    print("ratio")
    print(f"  live reload / baseline (medians)          {ratio:6.2f}   target ≤ {TARGET_RATIO}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="timed rounds of each (10)")
    rounds: int = parser.parse_args().rounds
    if not browser_available():
        sys.exit("preview_reload: Debian's chromium and chromium-driver are needed")
    workdir = Path(tempfile.mkdtemp(prefix="glasswork-preview-reload-"))
    try:
        measure(workdir, rounds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
