"""Typed application settings from environment variables: a pydantic-settings class, or a plain
pydantic model read by ``Config.from_environment``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

__all__ = ["Config", "ConfigError", "ConfigKeyError"]

S = TypeVar("S", bound=BaseModel)
M = TypeVar("M", bound=BaseModel)


class ConfigKeyError(KeyError):
    """``Config.get`` was asked for a setting its schema does not declare."""


class ConfigError(ValueError):
    """The environment does not hold valid settings: names each variable missing or invalid."""


class Config(Generic[S]):
    """Read-only access to the application's settings.

    ``settings`` is the typed settings object (``config.settings.aws_region``);
    ``get("aws_region")`` is the by-name form the Glasswork guide uses.

    Parameters:
        settings: an instance of your settings model, or your pydantic-settings
            ``BaseSettings`` subclass itself, in which case it is instantiated (reading the
            environment) here. For a plain pydantic model, use ``Config.from_environment``.
    """

    def __init__(self, settings: S | type[S]) -> None:
        self.settings: S = settings() if isinstance(settings, type) else settings

    @classmethod
    def from_environment(
        cls, model: type[M], *, prefix: str = "", environ: Mapping[str, str] | None = None
    ) -> Config[M]:
        """The settings of a plain pydantic model, read from environment variables without
        pydantic-settings, which a worker's cold start then does not import.

        Each field is read from the variable named ``prefix`` and the field's name (or alias),
        upper-cased: ``job_queue_url`` from ``JOB_QUEUE_URL``. A variable that is not set
        leaves the field's default. Values are parsed from their text the way pydantic parses
        strings (``model_validate_strings``): text, numbers, booleans, enums, dates. Settings
        that need JSON values (lists, nested models), ``.env`` files or secret directories want
        a pydantic-settings class instead.

        Parameters:
            model: the pydantic model of the settings.
            prefix: put before every variable's name (default none), as in ``SHOP_``.
            environ: the variables to read (default ``os.environ``).

        Raises:
            ConfigError: naming each variable that is missing or invalid, and why.
        """
        variables = os.environ if environ is None else environ
        values: dict[str, str] = {}
        names: dict[str, str] = {}
        for name, field in model.model_fields.items():
            key = field.alias or name
            variable = f"{prefix}{key}".upper()
            names[key] = variable
            if variable in variables:
                values[key] = variables[variable]
        try:
            settings = model.model_validate_strings(values)
        except ValidationError as error:
            problems = "; ".join(
                _problem(names, issue) for issue in error.errors(include_url=False)
            )
            raise ConfigError(
                f"the environment holds no valid {model.__name__}: {problems}"
            ) from None
        return Config(settings)

    def get(self, key: str) -> Any:
        """The value of setting ``key``; raises ``ConfigKeyError`` naming known keys otherwise."""
        fields = type(self.settings).model_fields
        if key not in fields:
            raise ConfigKeyError(
                f"unknown setting {key!r}; {type(self.settings).__name__} declares: "
                f"{', '.join(sorted(fields))}"
            )
        return getattr(self.settings, key)

    def __repr__(self) -> str:
        return f"Config({type(self.settings).__name__})"


def _problem(variables: Mapping[str, str], issue: ErrorDetails) -> str:
    # "JOB_QUEUE_URL: not set", "CRM_OUTAGES: Input should be a valid integer, ... (got 'x')"
    field = str(issue["loc"][0]) if issue["loc"] else ""
    where = ".".join(str(part) for part in issue["loc"][1:])
    variable = variables.get(field, field) + (f" ({where})" if where else "")
    if issue["type"] == "missing":
        return f"{variable}: not set"
    return f"{variable}: {issue['msg']} (got {issue['input']!r})"
