"""Custom filters, tests and globals: one extension module for the compiler and the renderer."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from glasswork_email.compiler.project import ProjectCompiler
from tests.email.compiler.conftest import write_templates

EXTENSION = """
from datetime import date
from decimal import Decimal

from jinja2 import pass_context


def money(value: Decimal, currency: str, places: int = 2) -> str:
    return f"{currency} {value:.{places}f}"


def shout(value: str) -> str:
    return value.upper() + "!"


@pass_context
def greeting(context: object, name: str) -> str:
    return f"Hello {name}"


def url_for(endpoint: str, **values: object) -> str:
    query = "&".join(f"{key}={value}" for key, value in sorted(values.items()))
    return f"https://shop.example.com/{endpoint}?{query}"


def weekend(value: date) -> bool:
    return value.weekday() >= 5


filters = {"money": money, "shout": shout}
tests = {"weekend": weekend}
globals = {"url_for": url_for, "greeting": greeting}
"""

Project = Callable[[dict[str, str]], tuple[ModuleType, Path]]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A project folder with a pyproject naming an extension module; compiles and imports."""

    def make(templates: dict[str, str]) -> tuple[ModuleType, Path]:
        module = f"shop_email_ext_{uuid.uuid4().hex[:8]}"
        root = tmp_path / uuid.uuid4().hex[:8]
        write_templates(
            root,
            {
                "pyproject.toml": f'[tool.glasswork-email]\nextensions = ["{module}"]\n',
                f"{module}.py": EXTENSION,
                **{f"templates/{name}": text for name, text in templates.items()},
            },
        )
        monkeypatch.syspath_prepend(str(root))
        package = f"emails_{uuid.uuid4().hex[:8]}"
        report = ProjectCompiler(root / "templates", root / package, lambda _: None).compile()
        assert not report.errors, [str(e) for e in report.errors]
        importlib.invalidate_caches()
        return importlib.import_module(package), root

    return make


def test_a_filters_signature_types_its_input_and_arguments(project: Project) -> None:
    emails, _ = project(
        {"receipt.html": "<title>Receipt</title><p>{{ total | money(currency, places) }}</p>"}
    )
    fields = emails.ReceiptContext.model_fields
    assert fields["total"].annotation is Decimal
    assert fields["currency"].annotation is str
    assert fields["places"].annotation is int
    rendered = emails.templates.receipt.render(
        emails.ReceiptContext(total=Decimal("12.5"), currency="EUR", places=1)
    )
    assert rendered.html == "<title>Receipt</title><p>EUR 12.5</p>"
    assert rendered.text == "EUR 12.5\n"


def test_a_global_is_a_function_not_a_field_and_its_arguments_are(project: Project) -> None:
    emails, _ = project(
        {
            "track.html": (
                "<title>Track</title>"
                '<a href="{{ url_for("orders", id=order.number, user=user.email) }}">Track</a>'
                "<p>{{ greeting(user.name) }}</p>"
            )
        }
    )
    context = emails.TrackContext
    assert set(context.model_fields) == {"order", "user"}
    assert set(emails.TrackUser.model_fields) == {"email", "name"}
    rendered = emails.templates.track.render(
        context(order={"number": "7"}, user={"email": "ada@example.com", "name": "Ada"})
    )
    assert 'href="https://shop.example.com/orders?id=7&amp;user=ada@example.com"' in rendered.html
    assert "<p>Hello Ada</p>" in rendered.html


def test_a_custom_test_types_what_it_tests(project: Project) -> None:
    emails, _ = project(
        {
            "delivery.html": (
                "<title>Delivery</title>{% if day is weekend %}<p>Saturday post</p>"
                "{% else %}<p>{{ day | shout }}</p>{% endif %}"
            )
        }
    )
    assert emails.DeliveryContext.model_fields["day"].annotation is date
    saturday = emails.templates.delivery.render(emails.DeliveryContext(day=date(2024, 6, 1)))
    assert "Saturday post" in saturday.html


def test_the_generated_template_names_its_extension_modules(project: Project) -> None:
    emails, root = project({"hello.html": "<title>Hi</title><p>{{ name | shout }}</p>"})
    module = (root / "pyproject.toml").read_text().split('"')[1]
    assert emails.templates.hello.extensions == (module,)
    generated = Path(emails.__file__).with_name("hello.py").read_text()
    assert f'    extensions=("{module}",),' in generated


def test_unknown_filters_tests_and_functions_are_located_errors_saying_how_to_register(
    tmp_path: Path,
) -> None:
    source = write_templates(
        tmp_path / "templates",
        {
            "bad.html": (
                "<title>Bad</title>\n"
                "<p>{{ total | monie(2) }}</p>\n"
                "<p>{{ link_to('home') }} {% if day is holiday %}off{% endif %}</p>\n"
            ),
            "good.html": "<title>Good</title>",
        },
    )
    report = ProjectCompiler(source, tmp_path / "out", lambda _: None).compile()
    messages = [str(error) for error in report.errors]
    bad = source / "bad.html"
    assert [message.split(": ")[0] for message in messages] == [
        f"{bad}:2:15",
        f"{bad}:3:7",
        f"{bad}:3:39",
    ]
    assert (
        "unknown filter 'monie': define it in a module as `filters = {'monie': monie}`"
        in (messages[0])
    )
    assert "unknown function 'link_to'" in messages[1] and "`globals = {" in messages[1]
    assert "unknown test 'holiday'" in messages[2]
    assert all("`extensions` of `[tool.glasswork-email]`" in message for message in messages)
    assert not (tmp_path / "out").exists()


def test_an_extension_module_that_cannot_be_imported_is_a_configuration_error(
    tmp_path: Path,
) -> None:
    from glasswork_email.compiler.config import ConfigError

    write_templates(
        tmp_path,
        {
            "pyproject.toml": '[tool.glasswork-email]\nextensions = ["no_such_module_here"]\n',
            "templates/hello.html": "<title>Hi</title>",
        },
    )
    with pytest.raises(ConfigError, match="cannot import extension module 'no_such_module_here'"):
        ProjectCompiler(tmp_path / "templates", tmp_path / "out", lambda _: None).compile()


def test_changing_an_extension_recompiles_every_template(project: Project, tmp_path: Path) -> None:
    emails, root = project({"hello.html": "<title>Hi</title><p>{{ name | shout }}</p>"})
    module = (root / "pyproject.toml").read_text().split('"')[1]
    out = Path(emails.__file__).parent
    compiler = ProjectCompiler(root / "templates", out, lambda _: None)
    assert compiler.compile().unchanged == ["hello"]
    extension = root / f"{module}.py"
    extension.write_text(extension.read_text() + "\n# a change\n")
    again = ProjectCompiler(root / "templates", out, lambda _: None)
    assert again.check().stale and again.compile().compiled == ["hello"]
