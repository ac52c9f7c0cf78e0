"""Modules and dependency injection: ``define_module``, ``Provider`` and the ``Container``.

A module groups providers (services), the jobs it owns, the modules it imports and the provider
names it exports. A provider may depend on the providers of its own module and on what its
imported modules export; dependencies are matched by constructor or factory parameter name.
"""

from __future__ import annotations

import functools
import inspect
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

if TYPE_CHECKING:
    from glasswork.jobs.definition import JobDefinition

__all__ = [
    "Container",
    "DependencyError",
    "Module",
    "ModuleError",
    "Provider",
    "define_module",
    "provider_name_of",
]

T = TypeVar("T")

Scope = Literal["singleton", "transient"]

_NO_VALUE: Any = object()


class ModuleError(Exception):
    """A module graph is invalid: duplicate provider, bad export, import cycle."""


class DependencyError(ModuleError):
    """A provider needs something no visible provider supplies, or providers depend in a cycle."""


@functools.cache
def provider_name_of(cls: type) -> str:
    """The snake_case name a class provider is known by: ``UserService`` → ``user_service``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", cls.__name__)
    return words.lower()


@dataclass(frozen=True)
class Provider:
    """How to make one named service.

    Give exactly one of ``use_class``, ``use_value`` and ``use_factory``.

    Parameters:
        provide: the name the service is known by (and injected as).
        use_class: a class; its constructor parameters are injected by name.
        use_value: a ready-made value.
        use_factory: a callable; its parameters are injected by name.
        scope: ``"singleton"`` (default, made once per container) or ``"transient"``
            (made anew for every injection).
    """

    provide: str
    use_class: type | None = None
    use_value: Any = _NO_VALUE
    use_factory: Callable[..., Any] | None = None
    scope: Scope = "singleton"

    def __post_init__(self) -> None:
        given = [
            self.use_class is not None,
            self.use_value is not _NO_VALUE,
            self.use_factory is not None,
        ]
        if sum(given) != 1:
            raise ModuleError(
                f"provider {self.provide!r} needs exactly one of use_class, use_value, use_factory"
            )
        if not self.provide.isidentifier():
            raise ModuleError(f"provider name {self.provide!r} must be a Python identifier")
        if self.scope not in ("singleton", "transient"):
            raise ModuleError(f"provider {self.provide!r}: scope must be singleton or transient")

    @property
    def dependencies(self) -> tuple[str, ...]:
        """Names of the providers this one needs (required parameters of its class or factory)."""
        return self._parameter_names(required=True)

    @property
    def optional_dependencies(self) -> tuple[str, ...]:
        """Parameters with defaults: injected when a provider of that name is visible."""
        return self._parameter_names(required=False)

    def _parameter_names(self, *, required: bool) -> tuple[str, ...]:
        return tuple(name for name, is_required in self._parameters if is_required == required)

    @functools.cached_property
    def _parameters(self) -> tuple[tuple[str, bool], ...]:
        # (name, required) of each injectable parameter, read once: the container asks for a
        # provider's dependencies several times while it checks and resolves the graph, and
        # inspect.signature was most of a cold start's container build.
        target = self.use_class or self.use_factory
        if target is None:
            return ()
        return tuple(
            (parameter.name, parameter.default is parameter.empty)
            for parameter in inspect.signature(target).parameters.values()
            if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)
        )

    def create(self, arguments: dict[str, Any]) -> Any:
        """Make the service from its resolved dependencies."""
        if self.use_value is not _NO_VALUE:
            return self.use_value
        target = self.use_class or self.use_factory
        assert target is not None
        return target(**arguments)


@dataclass(frozen=True)
class Module:
    """A group of providers and jobs. Create one with ``define_module``."""

    name: str
    providers: tuple[Provider, ...] = ()
    imports: tuple[Module, ...] = ()
    exports: tuple[str, ...] = ()
    jobs: tuple[JobDefinition[Any], ...] = field(default=())

    def __repr__(self) -> str:
        return f"Module({self.name!r})"

    def provider_names(self) -> set[str]:
        """Names of this module's own providers."""
        return {provider.provide for provider in self.providers}


def define_module(
    name: str,
    *,
    providers: Sequence[Provider | type] = (),
    imports: Sequence[Module] = (),
    exports: Sequence[str | type] = (),
    jobs: Sequence[JobDefinition[Any]] = (),
) -> Module:
    """Define a module.

    Parameters:
        name: the module's name, used in error messages.
        providers: ``Provider`` objects, or classes (registered as the snake_case of the class
            name, constructor parameters injected by name).
        imports: modules whose exports this module's providers may use.
        exports: provider names (or classes) other modules importing this one may use; a name
            exported by an imported module may be re-exported.
        jobs: the job definitions this module owns.
    """
    normalised: list[Provider] = []
    seen: set[str] = set()
    for item in providers:
        provider = (
            item
            if isinstance(item, Provider)
            else Provider(provide=provider_name_of(item), use_class=item)
        )
        if provider.provide in seen:
            raise ModuleError(f"module {name!r} provides {provider.provide!r} twice")
        seen.add(provider.provide)
        normalised.append(provider)
    export_names = tuple(
        item if isinstance(item, str) else provider_name_of(item) for item in exports
    )
    module = Module(name, tuple(normalised), tuple(imports), export_names, tuple(jobs))
    _check_exports(module)
    return module


def _exported_names(module: Module) -> set[str]:
    return set(module.exports)


def _check_exports(module: Module) -> None:
    available = module.provider_names()
    for imported in module.imports:
        available |= _exported_names(imported)
    for name in module.exports:
        if name not in available:
            raise ModuleError(
                f"module {module.name!r} exports {name!r}, which is neither one of its providers "
                f"({sorted(module.provider_names())}) nor exported by a module it imports"
            )


def iter_modules(root: Module) -> Iterator[Module]:
    """Every module reachable from ``root`` once, imports before importers.

    Raises ``ModuleError`` printing the cycle when modules import each other in a loop.
    """
    done: set[int] = set()
    path: list[Module] = []

    def visit(module: Module) -> Iterator[Module]:
        if any(module is entry for entry in path):
            start = next(i for i, entry in enumerate(path) if entry is module)
            cycle = " -> ".join(entry.name for entry in [*path[start:], module])
            raise ModuleError(f"module import cycle: {cycle}")
        if id(module) in done:
            return
        path.append(module)
        for imported in module.imports:
            yield from visit(imported)
        path.pop()
        done.add(id(module))
        yield module

    yield from visit(root)


class Container:
    """The services of a module graph, built once from its root module.

    Services are made lazily on first use (``get``, attribute access) or all at once with
    ``initialize()``; singletons are cached. A service that fails to construct is not cached,
    so the next ``get`` tries again.

    Parameters:
        root: the application's root module; it and every module it imports are loaded.
    """

    def __init__(self, root: Module) -> None:
        self.root = root
        self.modules: tuple[Module, ...] = tuple(iter_modules(root))
        self._providers: dict[str, tuple[Provider, Module]] = {}
        for module in self.modules:
            for provider in module.providers:
                if provider.provide in self._providers:
                    other = self._providers[provider.provide][1]
                    raise ModuleError(
                        f"provider {provider.provide!r} is defined by both module "
                        f"{other.name!r} and module {module.name!r}"
                    )
                self._providers[provider.provide] = (provider, module)
        self._instances: dict[str, Any] = {}
        self._lock = threading.RLock()
        self._check_dependencies()

    @property
    def jobs(self) -> tuple[tuple[JobDefinition[Any], Module], ...]:
        """Every job of every loaded module, with the module that defines it."""
        return tuple((job, module) for module in self.modules for job in module.jobs)

    def _visible_names(self, module: Module) -> set[str]:
        names = module.provider_names()
        for imported in module.imports:
            names |= _exported_names(imported)
        return names

    def _check_dependencies(self) -> None:
        for name, (provider, module) in self._providers.items():
            visible = self._visible_names(module)
            for dependency in provider.dependencies:
                if dependency not in visible:
                    raise DependencyError(self._missing_message(name, module, dependency))
        for name in self._providers:
            self._check_no_cycle(name, [])

    def _missing_message(self, needer: str, module: Module, dependency: str) -> str:
        message = (
            f"provider {needer!r} (module {module.name!r}) needs {dependency!r}, which module "
            f"{module.name!r} neither provides nor imports from a module exporting it"
        )
        if dependency in self._providers:
            owner = self._providers[dependency][1]
            message += (
                f"; module {owner.name!r} provides it: import that module and export "
                f"{dependency!r} from it"
            )
        return message

    def _check_no_cycle(self, name: str, path: list[str]) -> None:
        if name in path:
            cycle = " -> ".join([*path[path.index(name) :], name])
            raise DependencyError(f"providers depend on each other in a cycle: {cycle}")
        provider = self._providers[name][0]
        for dependency in provider.dependencies:
            self._check_no_cycle(dependency, [*path, name])

    def __contains__(self, name: object) -> bool:
        return name in self._providers

    def names(self) -> Iterable[str]:
        """Names of every provider in the container."""
        return self._providers.keys()

    @overload
    def get(self, key: str) -> Any: ...

    @overload
    def get(self, key: type[T]) -> T: ...

    def get(self, key: str | type[T]) -> Any:
        """The service named ``key``, or registered for class ``key`` (typed).

        Raises ``DependencyError`` when there is no such provider.
        """
        name = key if isinstance(key, str) else self._name_for_class(key)
        if name not in self._providers:
            raise DependencyError(
                f"no provider named {name!r}; known providers: {sorted(self._providers)}"
            )
        return self._resolve(name)

    def _name_for_class(self, cls: type) -> str:
        name = provider_name_of(cls)
        if name in self._providers:
            return name
        for provide, (provider, _module) in self._providers.items():
            if provider.use_class is cls:
                return provide
        return name

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self.__dict__.get("_providers", {}):
            raise AttributeError(f"no provider named {name!r}")
        return self._resolve(name)

    def _resolve(self, name: str) -> Any:
        provider, module = self._providers[name]
        if provider.scope == "singleton" and name in self._instances:
            return self._instances[name]
        with self._lock:
            if provider.scope == "singleton" and name in self._instances:
                return self._instances[name]
            visible = self._visible_names(module)
            arguments = {dep: self._resolve(dep) for dep in provider.dependencies}
            for optional in provider.optional_dependencies:
                if optional in visible and optional in self._providers:
                    arguments[optional] = self._resolve(optional)
            instance = provider.create(arguments)
            if provider.scope == "singleton":
                self._instances[name] = instance
            return instance

    def instances(self) -> list[Any]:
        """The singletons made so far, in the order they were made."""
        return list(self._instances.values())

    def initialize(self) -> None:
        """Make every singleton now, so a broken provider fails at start-up, not mid-job."""
        for name, (provider, _module) in self._providers.items():
            if provider.scope == "singleton":
                self._resolve(name)
