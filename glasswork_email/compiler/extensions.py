"""Custom filters, tests and globals as the compiler sees them: names and signature types.

The extension modules of the compile configuration are imported (with the configuration's
folder on ``sys.path``) and registered in the compile environments exactly as the generated
package registers them at run time (``rendering.register_extensions``). Their signatures are
evidence for inference: a filter ``def money(value: Decimal, currency: str) -> str`` makes
what it filters a ``Decimal`` and its argument a ``str``; a global ``url_for`` is a function,
not a context field.
"""

from __future__ import annotations

import inspect
import sys
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from types import NoneType, UnionType
from typing import Any

from jinja2 import Environment

from glasswork_email.compiler.config import CompileConfig, ConfigError
from glasswork_email.compiler.declarations import ALLOWED_NAMES

__all__ = ["CallableNames", "ParameterTypes", "parameter_types", "prepare_environment"]

_ANNOTATION_NAMES: dict[type, str] = {
    str: "str",
    int: "int",
    float: "float",
    bool: "bool",
}


@dataclass(frozen=True)
class ParameterTypes:
    """What a custom callable's signature says about the values passed to it.

    Parameters:
        positional: annotation source per positional parameter (``""``: no usable type).
        keywords: annotation source per parameter name.
        returns: the return annotation's source (``""``: unknown).
        imports: ``(module, name)`` pairs the annotations need in generated code.
    """

    positional: tuple[str, ...] = ()
    keywords: dict[str, str] = field(default_factory=dict)
    returns: str = ""
    imports: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class CallableNames:
    """The filters, tests and globals a template may use, and the custom ones' signatures.

    Parameters:
        filters: every filter name of the environment (Jinja's and the extensions').
        tests: every test name.
        globals: every global name.
        custom: ``("filter" | "test" | "global", name)`` → the extension callable's types.
    """

    filters: frozenset[str]
    tests: frozenset[str]
    globals: frozenset[str]
    custom: dict[tuple[str, str], ParameterTypes] = field(default_factory=dict)

    @classmethod
    def of(cls, environment: Environment, config: CompileConfig | None = None) -> CallableNames:
        """The names registered in ``environment``, typed from ``config``'s extensions."""
        custom: dict[tuple[str, str], ParameterTypes] = {}
        if config is not None and config.extensions:
            from glasswork_email.rendering import extension_callables

            for module in config.extensions:
                for kind, callables in zip(
                    ("filter", "test", "global"), extension_callables(module), strict=True
                ):
                    for name, function in callables.items():
                        custom[(kind, name)] = parameter_types(function)
        return cls(
            frozenset(environment.filters),
            frozenset(environment.tests),
            frozenset(environment.globals),
            custom,
        )


def prepare_environment(environment: Environment, config: CompileConfig) -> Environment:
    """Register ``config``'s extension modules in ``environment``; returns it.

    Raises ``ConfigError`` naming the configuration file when a module cannot be imported or
    defines something other than a dict of callables.
    """
    if not config.extensions:
        return environment
    from glasswork_email.rendering import ExtensionError, register_extensions

    if config.root is not None and str(config.root) not in sys.path:
        sys.path.insert(0, str(config.root))
    where = f"{config.file}: " if config.file else ""
    try:
        register_extensions(environment, config.extensions)
    except ExtensionError as error:
        raise ConfigError(f"{where}{error}") from None
    return environment


def parameter_types(function: Callable[..., Any]) -> ParameterTypes:
    """The annotations of ``function``'s parameters that the generated models can use.

    For a filter or test the first positional parameter is the value it applies to. The
    argument Jinja passes itself (``pass_context`` and the like) is left out.

    Parameters:
        function: the filter, test or global.
    """
    try:
        signature = inspect.signature(function)
        hints = typing.get_type_hints(function)
    except (TypeError, ValueError, NameError):
        return ParameterTypes()
    parameters = list(signature.parameters.values())
    if getattr(function, "jinja_pass_arg", None) is not None and parameters:
        parameters = parameters[1:]  # the context / environment Jinja passes
    imports: set[tuple[str, str]] = set()
    positional: list[str] = []
    keywords: dict[str, str] = {}
    for parameter in parameters:
        source = _annotation_source(hints.get(parameter.name), imports)
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            positional.append(source)
        if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
            keywords[parameter.name] = source
    returns = _annotation_source(hints.get("return"), set())
    return ParameterTypes(tuple(positional), keywords, returns, frozenset(imports))


def _annotation_source(annotation: object, imports: set[tuple[str, str]]) -> str:
    """The source of a scalar annotation generated models can name, or ``""``.

    ``X | None`` counts as ``X`` (the template decides whether the field is optional).
    """
    if isinstance(annotation, UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not NoneType]
        return _annotation_source(members[0], imports) if len(members) == 1 else ""
    if not isinstance(annotation, type):
        return ""
    if annotation in _ANNOTATION_NAMES:
        return _ANNOTATION_NAMES[annotation]
    name = annotation.__name__
    known = ALLOWED_NAMES.get(name)
    if known is not None and known[0] == annotation.__module__:
        imports.add(known)
        return name
    return ""
