"""Every package's ``__all__`` is importable by name, and importing a package loads nothing else.

The package ``__init__``s export their names lazily (PEP 562 ``__getattr__``): importing
``glasswork`` must stay cheap for a worker's cold start, and ``from glasswork import X`` must
give the very object its defining module holds.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

LAZY_PACKAGES = [
    "glasswork",
    "glasswork.jobs",
    "glasswork.jobs.drivers",
    "glasswork.worker",
    "glasswork_email",
    "glasswork_email.events",
    "glasswork_email.i18n",
    "glasswork_email.idempotency",
    "glasswork_email.suppression",
    "glasswork_email.transports",
]


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_exported_name_is_the_defining_modules_object(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        value = getattr(module, name)
        defining = getattr(value, "__module__", None)
        if (
            isinstance(defining, str)
            and defining in sys.modules
            and hasattr(sys.modules[defining], name)
        ):
            assert getattr(sys.modules[defining], name) is value, f"{package}.{name}"


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_an_unknown_name_is_an_attribute_error_naming_the_package(package: str) -> None:
    module = importlib.import_module(package)
    with pytest.raises(AttributeError, match=f"module {package!r} has no attribute 'nope'"):
        module.nope  # noqa: B018


def test_importing_a_package_or_one_name_loads_only_what_it_needs() -> None:
    script = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        "import glasswork, glasswork.jobs, glasswork.worker\n"
        "bare = sorted(m for m in set(sys.modules) - before if m.startswith('glasswork'))\n"
        "from glasswork import define_module\n"
        "one = sorted(m for m in set(sys.modules) - before if m.startswith('glasswork'))\n"
        "print(json.dumps([bare, one]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    bare, one = json.loads(out)
    assert bare == ["glasswork", "glasswork.jobs", "glasswork.lazy_exports", "glasswork.worker"]
    assert set(one) - set(bare) == {"glasswork.modules"}


def test_star_import_gives_every_name_of_all() -> None:
    namespace: dict[str, object] = {}
    exec("from glasswork import *", namespace)
    import glasswork

    assert set(glasswork.__all__) <= set(namespace)
