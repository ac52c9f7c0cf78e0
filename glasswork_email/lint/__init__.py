"""Lint rendered emails: contrast, accessibility, size, links, subject and text.

``glasswork-email lint TEMPLATES`` (and ``compile --check --lint``) renders every template
with every fixture and runs each check on the result. Imported by those commands only.
"""

from glasswork_email.lint.config import LintConfig, LintConfigError, load_lint_config
from glasswork_email.lint.findings import Check, Finding, LintSubject, Problem, Severity
from glasswork_email.lint.runner import (
    ALL_CHECKS,
    LintReport,
    lint_build,
    lint_email,
    lint_templates,
)

__all__ = [
    "ALL_CHECKS",
    "Check",
    "Finding",
    "LintConfig",
    "LintConfigError",
    "LintReport",
    "LintSubject",
    "Problem",
    "Severity",
    "lint_build",
    "lint_email",
    "lint_templates",
    "load_lint_config",
]
