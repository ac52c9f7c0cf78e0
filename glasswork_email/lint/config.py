"""The ``[tool.glasswork-email.lint]`` table: a severity per check id.

    [tool.glasswork-email.lint]
    contrast = "warning"      # report, but do not fail
    table-role = "off"        # do not run

Unknown check ids and severities are errors naming the key and the file. The table is part
of the compile configuration (``glasswork_email.compiler.config``), so ``--config FILE``
works the same for ``lint`` and ``compile``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from glasswork_email.compiler.config import CompileConfig, ConfigError, load_config
from glasswork_email.lint.findings import Check, Severity

__all__ = ["LintConfig", "LintConfigError", "load_lint_config"]


class LintConfigError(ValueError):
    """The lint configuration names an unknown check or severity."""


@dataclass(frozen=True)
class LintConfig:
    """The severities a project gives to checks; checks it does not name keep their own.

    Parameters:
        severities: check id → severity (default: none changed).
    """

    severities: Mapping[str, Severity] = field(default_factory=dict)

    def severity(self, check: Check) -> Severity:
        """The severity ``check`` has in this project."""
        return self.severities.get(check.id, check.severity)

    @classmethod
    def from_table(
        cls, table: Mapping[str, object], checks: Iterable[Check], source: str
    ) -> LintConfig:
        """Validate a ``[tool.glasswork-email.lint]`` table.

        Parameters:
            table: the table's keys and values.
            checks: the known checks.
            source: where the table is, for error messages (``pyproject.toml``).
        """
        known = {check.id for check in checks}
        severities: dict[str, Severity] = {}
        allowed = ", ".join(repr(s.value) for s in Severity)
        for key, value in table.items():
            if key not in known:
                raise LintConfigError(
                    f"{source}: [tool.glasswork-email.lint] has unknown check {key!r}; "
                    f"known checks: {', '.join(sorted(known))}"
                )
            try:
                severities[key] = Severity(str(value))
            except ValueError:
                raise LintConfigError(
                    f"{source}: [tool.glasswork-email.lint] {key} = {value!r}: the severity "
                    f"must be one of {allowed}"
                ) from None
        return cls(severities)


def load_lint_config(
    templates: Path, checks: Iterable[Check], config: CompileConfig | Path | None = None
) -> LintConfig:
    """The ``lint`` table of the project's configuration (``[tool.glasswork-email.lint]``).

    Parameters:
        templates: the templates folder; its nearest ``pyproject.toml`` is read.
        checks: the known checks.
        config: the configuration already loaded, or a TOML file given with ``--config``
            (default: the nearest ``pyproject.toml``).
    """
    if not isinstance(config, CompileConfig):
        try:
            config = load_config(templates, config)
        except ConfigError as error:
            raise LintConfigError(str(error)) from None
    table = config.raw.get("lint", {})
    where = str(config.file or "configuration")
    if not isinstance(table, dict):
        raise LintConfigError(f"{where}: [tool.glasswork-email.lint] must be a table")
    return LintConfig.from_table(table, checks, where)
