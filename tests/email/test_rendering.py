"""The runtime of generated packages: ``CompiledTemplate`` renders precompiled Jinja code."""

from __future__ import annotations

import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jinja2
import pytest
from pydantic import BaseModel, ConfigDict

from glasswork_email.rendering import (
    CompiledTemplate,
    IncompatibleTemplateCodeError,
    RenderedEmail,
    TemplateNotFoundError,
    TemplateRegistry,
    create_environment,
)


class CardContext(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    link: str
    nickname: str | None = None


PARTS = {
    "subject": ("card.subject.txt", "Hi {{ name }}"),
    "preheader": ("card.preheader.txt", "For {{ nickname | default('you') }}"),
    "html": ("card.html", '<p title="{{ name }}">Hi {{ name }}</p><a href="{{ link }}">go</a>'),
    "text": (
        "card.txt",
        "Hi {{ name }}\n\n\n\n{% if nickname is defined %}aka {{ nickname }}{% endif %}\n",
    ),
}


def write_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: dict[str, tuple[str, str]]
) -> str:
    package = f"rendering_{uuid.uuid4().hex}"
    directory = tmp_path / package
    directory.mkdir()
    (directory / "__init__.py").write_text("")
    for part, (filename, source) in parts.items():
        environment = create_environment(text=part != "html")
        code = environment.compile(source, name=filename, raw=True, defer_init=True)
        (directory / f"card__{part}.py").write_text(str(code))
    monkeypatch.syspath_prepend(str(tmp_path))
    return package


@pytest.fixture
def card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CompiledTemplate[CardContext]:
    package = write_package(tmp_path, monkeypatch, PARTS)
    return CompiledTemplate(
        name="card", context_model=CardContext, code_package=package, has_preheader=True
    )


def test_render_returns_subject_html_text_and_preheader(
    card: CompiledTemplate[CardContext],
) -> None:
    rendered = card.render(CardContext(name="Ann", link="https://x.example", nickname="A"))
    assert rendered == RenderedEmail(
        subject="Hi Ann",
        html='<p title="Ann">Hi Ann</p><a href="https://x.example">go</a>',
        text="Hi Ann\n\naka A\n",
        preheader="For A",
    )


def test_hostile_values_are_escaped_in_html_text_and_attributes_not_in_plain_text(
    card: CompiledTemplate[CardContext],
) -> None:
    hostile = '"><script>alert(1)</script>'
    rendered = card.render(CardContext(name=hostile, link='javascript:x" onclick="y'))
    assert "<script>" not in rendered.html
    assert 'title="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in rendered.html
    assert 'href="javascript:x&#34; onclick=&#34;y"' in rendered.html
    assert rendered.text.startswith(f"Hi {hostile}\n")


def test_subject_is_kept_on_one_line(card: CompiledTemplate[CardContext]) -> None:
    rendered = card.render(CardContext(name="Ann\r\nBcc: evil@example.com", link="x"))
    assert rendered.subject == "Hi Ann Bcc: evil@example.com"


def test_absent_optional_field_counts_as_undefined_for_default_and_defined(
    card: CompiledTemplate[CardContext],
) -> None:
    rendered = card.render(CardContext(name="Ann", link="x"))
    assert rendered.preheader == "For you"
    assert rendered.text == "Hi Ann\n"


def test_code_is_imported_on_first_render_only(card: CompiledTemplate[CardContext]) -> None:
    html_module = f"{card.code_package}.card__html"
    assert html_module not in sys.modules
    card.render(CardContext(name="Ann", link="x"))
    assert html_module in sys.modules


def test_threads_rendering_a_cold_template_at_once_load_its_code_once(
    card: CompiledTemplate[CardContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cold worker's threads render the batch's first emails at the same moment.
    loads: list[str] = []
    load_parts = card._load_parts

    def slow_load_parts(suffix: str, has_preheader: bool) -> Any:
        loads.append(suffix)
        time.sleep(0.02)  # long enough for every thread to find the code not loaded yet
        return load_parts(suffix, has_preheader)

    monkeypatch.setattr(card, "_load_parts", slow_load_parts)
    start = threading.Barrier(8)

    def render(n: int) -> str:
        start.wait()
        return card.render(CardContext(name=f"User {n}", link="x")).subject

    with ThreadPoolExecutor(8) as pool:
        subjects = list(pool.map(render, range(8)))
    assert subjects == [f"Hi User {n}" for n in range(8)]
    assert loads == [""]


def test_render_validates_a_plain_dict(card: CompiledTemplate[CardContext]) -> None:
    assert card.render({"name": "Ann", "link": "x"}).subject == "Hi Ann"  # type: ignore[arg-type]


def test_undefined_variables_are_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = {**PARTS, "html": ("card.html", "<p>{{ missing_variable }}</p>")}
    package = write_package(tmp_path, monkeypatch, parts)
    template = CompiledTemplate(name="card", context_model=CardContext, code_package=package)
    with pytest.raises(jinja2.UndefinedError, match="missing_variable"):
        template.render(CardContext(name="Ann", link="x"))


def test_code_from_another_jinja_version_is_refused(card: CompiledTemplate[CardContext]) -> None:
    old = CompiledTemplate(
        name="card",
        context_model=CardContext,
        code_package=card.code_package,
        jinja_version="2.11.3",
    )
    with pytest.raises(IncompatibleTemplateCodeError, match="compile"):
        old.render(CardContext(name="Ann", link="x"))


def test_registry_gets_templates_by_name_and_names_the_known_ones_when_unknown(
    card: CompiledTemplate[CardContext],
) -> None:
    registry = TemplateRegistry(card)
    assert registry.get("card") is card
    assert registry.names() == ("card",)
    with pytest.raises(KeyError) as raised:
        registry.get("newsletter")
    assert isinstance(raised.value, TemplateNotFoundError)
    assert str(raised.value) == "unknown email template 'newsletter'; known templates: card"
