"""Fixtures of the localisation tests: a small templates project with catalogs, compiled."""

from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

from glasswork_email.compiler.project import CompileReport, ProjectCompiler
from glasswork_email.i18n.extract import init_catalog

GREETING = """\
<html><head><title>{% trans %}Hello {{ name }}{% endtrans %}</title></head><body>
<p>{% trans count=items %}You have one item.{% pluralize -%}
You have {{ count }} items.{% endtrans %}</p>
<p>{{ _("Thanks, %(who)s!", who=name) }}</p>
<p>{{ pgettext("button", "Open") }}</p>
</body></html>
"""

POLISH = {
    "Hello %(name)s": "Cześć %(name)s",
    "Thanks, %(who)s!": "Dzięki, %(who)s!",
    "Open": "Otwórz",
}
POLISH_PLURALS = ("Masz jeden produkt.", "Masz %(count)s produkty.", "Masz %(count)s produktów.")


@dataclass
class Project:
    """A templates folder in a temporary directory, compiled into an importable package."""

    root: Path
    monkeypatch: pytest.MonkeyPatch
    package: str = field(default_factory=lambda: f"emails_{uuid.uuid4().hex}")

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    def write(self, files: dict[str, str]) -> None:
        for relative, text in files.items():
            path = self.templates / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def configure(self, table: str) -> None:
        (self.root / "pyproject.toml").write_text(
            f"[tool.glasswork-email]\n{table}\n", encoding="utf-8"
        )

    def translate(
        self, locale: str, strings: dict[str, str], plurals: tuple[str, ...] = ()
    ) -> Path:
        """Create ``locales/<locale>.po`` and fill in ``strings`` (msgid → msgstr)."""
        from babel.messages.pofile import read_po, write_po

        path = init_catalog(self.templates, locale)
        with path.open("rb") as file:
            catalog = read_po(file, locale=locale.replace("-", "_"))
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                if plurals:
                    message.string = plurals
            elif message.id in strings:
                message.string = strings[message.id]
        with path.open("wb") as file:
            write_po(file, catalog, width=100)
        return path

    @property
    def out(self) -> Path:
        return self.root / "generated" / self.package

    def compile(self) -> CompileReport:
        return ProjectCompiler(self.templates, self.out, progress=lambda _: None).compile()

    def check(self) -> CompileReport:
        return ProjectCompiler(self.templates, self.out, progress=lambda _: None).check()

    def load(self) -> ModuleType:
        """Compile (no errors allowed) and import the package (once per project)."""
        report = self.compile()
        assert not report.errors, "\n".join(map(str, report.errors))
        importlib.invalidate_caches()
        return importlib.import_module(self.package)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """An empty project (its own ``pyproject.toml``, so the repository's settings don't apply)."""
    (tmp_path / "pyproject.toml").write_text("[tool.other]\n", encoding="utf-8")
    (tmp_path / "generated").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path / "generated"))
    return Project(tmp_path, monkeypatch)
