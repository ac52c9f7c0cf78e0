"""Specification of modules, providers and the dependency-injection container."""

from __future__ import annotations

import pytest

from glasswork import Container, Provider, define_module
from glasswork.modules import DependencyError, ModuleError, provider_name_of


class Database:
    def __init__(self) -> None:
        self.rows: list[str] = []


class UserRepository:
    def __init__(self, database: Database) -> None:
        self.database = database


class UserService:
    def __init__(self, user_repository: UserRepository, greeting: str = "hello") -> None:
        self.user_repository = user_repository
        self.greeting = greeting


class HTTPClient:
    pass


def test_class_providers_are_named_in_snake_case() -> None:
    assert provider_name_of(UserService) == "user_service"
    assert provider_name_of(HTTPClient) == "http_client"


def test_constructor_parameters_are_injected_by_name_across_imports() -> None:
    data = define_module("data", providers=[Database, UserRepository], exports=[UserRepository])
    users = define_module("users", providers=[UserService], imports=[data])
    container = Container(users)
    service = container.get(UserService)
    assert isinstance(service.user_repository, UserRepository)
    assert service.greeting == "hello"
    assert container.user_service is service, "singleton by default"


def test_factories_values_and_optional_parameters() -> None:
    config = define_module(
        "config",
        providers=[Provider(provide="greeting", use_value="bonjour")],
        exports=["greeting"],
    )
    data = define_module("data", providers=[Database, UserRepository], exports=["user_repository"])
    app = define_module(
        "app",
        providers=[
            Provider(provide="user_service", use_class=UserService),
            Provider(provide="counter", use_factory=lambda user_service: [user_service]),
        ],
        imports=[config, data],
    )
    container = Container(app)
    assert container.get("user_service").greeting == "bonjour"
    assert container.get("counter") == [container.get("user_service")]


def test_transient_providers_are_made_for_every_injection() -> None:
    module = define_module(
        "m", providers=[Provider(provide="box", use_factory=list, scope="transient")]
    )
    container = Container(module)
    assert container.get("box") is not container.get("box")


def test_duplicate_provider_names_are_an_error_naming_both_modules() -> None:
    a = define_module("a", providers=[Database], exports=[Database])
    b = define_module("b", providers=[Database], imports=[a])
    with pytest.raises(ModuleError, match=r"'database'.*'a'.*'b'"):
        Container(b)
    with pytest.raises(ModuleError, match="twice"):
        define_module("c", providers=[Database, Database])


def test_exporting_something_that_is_not_a_provider_is_an_error() -> None:
    with pytest.raises(ModuleError, match="exports 'user_service'"):
        define_module("data", providers=[Database], exports=["user_service"])


def test_import_cycles_are_printed() -> None:
    a = define_module("a")
    b = define_module("b", imports=[a])
    object.__setattr__(a, "imports", (b,))
    with pytest.raises(ModuleError, match=r"import cycle: (a -> b -> a|b -> a -> b)"):
        Container(b)


def test_unresolvable_dependency_names_what_is_missing_and_who_needs_it() -> None:
    module = define_module("users", providers=[UserService])
    with pytest.raises(DependencyError) as caught:
        Container(module)
    message = str(caught.value)
    assert "'user_service'" in message and "'user_repository'" in message and "'users'" in message


def test_dependency_not_exported_tells_where_it_is() -> None:
    data = define_module("data", providers=[Database, UserRepository])
    users = define_module("users", providers=[UserService], imports=[data])
    with pytest.raises(DependencyError, match="module 'data' provides it"):
        Container(users)


def test_provider_cycles_are_printed() -> None:
    module = define_module(
        "m",
        providers=[
            Provider(provide="a", use_factory=lambda b: b),
            Provider(provide="b", use_factory=lambda a: a),
        ],
    )
    with pytest.raises(DependencyError, match=r"cycle: (a -> b -> a|b -> a -> b)"):
        Container(module)


def test_a_provider_that_fails_is_tried_again_next_time() -> None:
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("database not up yet")
        return "connected"

    container = Container(define_module("m", providers=[Provider(provide="db", use_factory=flaky)]))
    with pytest.raises(ConnectionError):
        container.initialize()
    container.initialize()
    assert container.get("db") == "connected"
    assert len(attempts) == 2


def test_unknown_provider_lookups_list_known_names() -> None:
    container = Container(define_module("m", providers=[Database]))
    with pytest.raises(DependencyError, match="known providers: \\['database'\\]"):
        container.get("nope")
    with pytest.raises(AttributeError):
        _ = container.nope


def test_container_lists_jobs_with_their_modules() -> None:
    from glasswork import define_job

    job = define_job("noop", lambda payload, ctx: None)
    inner = define_module("inner", jobs=[job])
    outer = define_module("outer", imports=[inner])
    assert [(j.name, m.name) for j, m in Container(outer).jobs] == [("noop", "inner")]
