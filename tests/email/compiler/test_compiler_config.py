"""The compile configuration: `[tool.glasswork-email]` of the nearest pyproject or `--config`."""

from __future__ import annotations

from pathlib import Path

import pytest

from glasswork_email.cli import main
from glasswork_email.compiler.config import CompileConfig, ConfigError, load_config
from tests.email.compiler.conftest import write_templates


def test_the_nearest_pyproject_at_or_above_the_templates_folder_is_read(tmp_path: Path) -> None:
    write_templates(
        tmp_path,
        {
            "pyproject.toml": '[tool.glasswork-email]\nextensions = ["far.away"]\n',
            "app/pyproject.toml": (
                '[project]\nname = "app"\n\n[tool.glasswork-email]\n'
                'extensions = ["app_filters", "more.filters"]\nmjml_validation = "warn"\n'
            ),
            "app/emails/templates/hello.html": "<title>Hi</title>",
        },
    )
    config = load_config(tmp_path / "app/emails/templates")
    assert config.extensions == ("app_filters", "more.filters")
    assert config.mjml_validation == "warn"
    assert config.file == tmp_path / "app/pyproject.toml"
    assert config.root == tmp_path / "app"


def test_a_nearest_pyproject_without_the_table_means_the_defaults(tmp_path: Path) -> None:
    write_templates(
        tmp_path,
        {
            "pyproject.toml": '[tool.glasswork-email]\nextensions = ["far.away"]\n',
            "app/pyproject.toml": '[project]\nname = "app"\n',
        },
    )
    config = load_config(tmp_path / "app")
    assert config.extensions == () and config.mjml_validation == "strict"


def test_a_config_file_may_hold_the_table_or_the_keys_at_its_top_level(tmp_path: Path) -> None:
    top = tmp_path / "email.toml"
    top.write_text('extensions = ["shop.filters"]\n')
    table = tmp_path / "other.toml"
    table.write_text('[tool.glasswork-email]\nextensions = ["shop.other"]\n')
    assert load_config(tmp_path, top).extensions == ("shop.filters",)
    assert load_config(tmp_path, table).extensions == ("shop.other",)


def test_an_unknown_key_is_an_error_naming_the_key_and_the_file(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.glasswork-email]\nextension = ["shop.filters"]\n')
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    message = str(raised.value)
    assert message.startswith(f"{config}: unknown key 'extension' in [tool.glasswork-email]")
    assert "known keys: " in message and "extensions" in message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('extensions = "shop.filters"', "`extensions` in [tool.glasswork-email] must be a list"),
        ('extensions = ["shop filters"]', "must be a list of dotted module names"),
        ('mjml_validation = "loud"', "`mjml_validation` in [tool.glasswork-email] must be one of"),
    ],
)
def test_values_of_the_wrong_kind_are_errors(tmp_path: Path, line: str, expected: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.glasswork-email]\n{line}\n")
    with pytest.raises(ConfigError, match=expected.replace("[", r"\[").replace("`", "`")):
        load_config(tmp_path)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.glasswork-email\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: not valid TOML"):
        load_config(tmp_path)


def test_the_cli_reports_a_bad_configuration_without_compiling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_templates(tmp_path / "templates", {"hello.html": "<title>Hi</title>"})
    config = tmp_path / "email.toml"
    config.write_text("colour = 'blue'\n")
    status = main(["compile", str(source), "--out", str(tmp_path / "out"), "--config", str(config)])
    assert status == 2
    assert "unknown key 'colour' in the top level" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_fingerprint_follows_the_extension_modules_source(tmp_path: Path) -> None:
    module = tmp_path / "shop_filters.py"
    module.write_text("filters = {}\n")
    config = CompileConfig(extensions=("shop_filters",), root=tmp_path)
    before = config.fingerprint()
    module.write_text("filters = {'money': str}\n")
    assert config.fingerprint() != before
