"""Compile errors, located at a template file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["CompileError", "SourceLocation", "TemplateCompileError"]


@dataclass(frozen=True)
class SourceLocation:
    """A position in a template source file.

    Parameters:
        file: the file, as given to the compiler (relative paths stay relative).
        line: 1-based line.
        column: 1-based column (1 when only the line is known).
    """

    file: Path
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class CompileError:
    """One problem in a template, printed as ``file:line:col: message``.

    Parameters:
        location: where the problem is.
        message: what is wrong and how to fix it.
    """

    location: SourceLocation
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class TemplateCompileError(Exception):
    """A template (or several) failed to compile; ``errors`` holds each located problem.

    Parameters:
        errors: the problems found, at least one.
    """

    def __init__(self, errors: list[CompileError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))

    @classmethod
    def at(cls, file: Path, line: int, column: int, message: str) -> TemplateCompileError:
        """One error at ``file:line:column``."""
        return cls([CompileError(SourceLocation(file, line, column), message)])
