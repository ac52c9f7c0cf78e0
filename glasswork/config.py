"""Typed application settings from environment variables, on pydantic-settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    # Only for the type bound: importing pydantic-settings costs a worker's cold start
    # ~100 ms, and apps that use Config import it themselves for their settings class.
    from pydantic_settings import BaseSettings

__all__ = ["Config", "ConfigKeyError"]

S = TypeVar("S", bound="BaseSettings")


class ConfigKeyError(KeyError):
    """``Config.get`` was asked for a setting its schema does not declare."""


class Config(Generic[S]):
    """Read-only access to the application's settings.

    ``settings`` is the typed pydantic-settings object (``config.settings.aws_region``);
    ``get("aws_region")`` is the by-name form the Glasswork guide uses.

    Parameters:
        settings: an instance of your ``BaseSettings`` subclass, or the class itself, in which
            case it is instantiated (reading the environment) here.
    """

    def __init__(self, settings: S | type[S]) -> None:
        self.settings: S = settings() if isinstance(settings, type) else settings

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
