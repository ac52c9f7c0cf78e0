from __future__ import annotations

from pathlib import Path

import pytest

from glasswork_email.lint import ALL_CHECKS, LintConfigError, Severity, load_lint_config


def test_the_nearest_pyproject_changes_severities(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.glasswork-email.lint]\ncontrast = "warning"\ntable-role = "off"\n'
    )
    (tmp_path / "emails" / "templates").mkdir(parents=True)
    config = load_lint_config(tmp_path / "emails" / "templates", ALL_CHECKS)
    by_id = {check.id: check for check in ALL_CHECKS}
    assert config.severity(by_id["contrast"]) is Severity.WARNING
    assert config.severity(by_id["table-role"]) is Severity.OFF
    assert config.severity(by_id["img-alt"]) is Severity.ERROR  # unchanged default


def test_an_unknown_check_id_is_an_error_naming_it_and_the_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.glasswork-email.lint]\ncontrasts = "off"\n')
    with pytest.raises(LintConfigError, match=r"pyproject.toml: .*unknown check 'contrasts'"):
        load_lint_config(tmp_path, ALL_CHECKS)


def test_an_unknown_severity_is_an_error_listing_the_allowed_ones(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.glasswork-email.lint]\ncontrast = "fatal"\n')
    with pytest.raises(LintConfigError, match=r"contrast = 'fatal'.*'error', 'warning', 'off'"):
        load_lint_config(tmp_path, ALL_CHECKS)


def test_a_config_file_given_explicitly_is_read_instead(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.glasswork-email.lint]\ncontrast = "off"\n')
    other = tmp_path / "ci.toml"
    other.write_text('[tool.glasswork-email.lint]\ncontrast = "warning"\n')
    config = load_lint_config(tmp_path, ALL_CHECKS, other)
    assert config.severities == {"contrast": Severity.WARNING}


def test_an_unknown_key_beside_the_lint_table_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.glasswork-email]\nlints = {contrast = "off"}\n')
    with pytest.raises(LintConfigError, match="unknown key 'lints'"):
        load_lint_config(tmp_path, ALL_CHECKS)
