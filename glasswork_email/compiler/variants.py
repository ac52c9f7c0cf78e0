"""Per-locale variants: ``welcome.de.mjml`` beside ``welcome.mjml`` is the ``welcome`` email in
``de``, laid out its own way, with the same context model.

A variant is named ``<email>.<locale>.mjml`` (or ``.html``, with its own ``.txt`` like any
template); its locale must be one of the project's translated locales (a ``locales/<locale>.po``
or the ``locales`` setting), so a typo is an error rather than a variant no one receives, and so
the layout and partials it shares are translated too. It may read only what the main template's
context has, in a compatible way: the payload is the email's, whichever variant renders it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from glasswork_email.compiler.errors import CompileError, SourceLocation, TemplateCompileError
from glasswork_email.compiler.shapes import FieldShape, TypeShape

if TYPE_CHECKING:
    from glasswork_email.compiler.template import CompiledEmail

__all__ = ["check_variant_context", "compile_variant", "find_variants"]

_ANY_VALUE = frozenset({"str", "bool"})
"""What a variant's inference decides for a value it only prints (``str``) or tests (``bool``):
any type of the main template's does for those."""
_NUMBERS = frozenset({"int", "float", "Decimal"})


def find_variants(
    paths: list[Path],
    emails: dict[str, Path],
    locales: tuple[str, ...],
    default_locale: str,
    errors: list[CompileError],
) -> dict[str, dict[str, Path]]:
    """The variants among ``paths`` (template files whose name has a dot), by email and locale;
    a file that is no valid variant goes to ``errors`` with what to rename or add.

    Parameters:
        paths: the template files named ``<stem>.<something>.<suffix>``.
        emails: the emails of the folder, by name.
        locales: the project's translated locales (normalised).
        default_locale: the project's default locale (its email is the main template).
        errors: where problems go.
    """
    from glasswork_email.i18n.tags import InvalidLocaleError, normalize_locale_tag

    found: dict[str, dict[str, Path]] = {}
    for path in sorted(paths):
        email, _, tag = path.stem.partition(".")
        where = SourceLocation(path, 1)
        example = f"{email}.de{path.suffix}"
        try:
            locale = normalize_locale_tag(tag)
        except InvalidLocaleError:
            errors.append(
                CompileError(
                    where,
                    f"{path.name}: {tag!r} is not a locale; a template name is a Python "
                    f"identifier, and a per-locale variant is named <email>.<locale>"
                    f"{path.suffix} ({example}): rename the file",
                )
            )
            continue
        if email not in emails:
            errors.append(
                CompileError(
                    where,
                    f"{path.name} is a {locale} variant of {email!r}, but there is no "
                    f"{email}.mjml or {email}.html: add the main template, or rename the file",
                )
            )
        elif locale == default_locale:
            errors.append(
                CompileError(
                    where,
                    f"{path.name}: {locale} is the project's default locale, whose "
                    f"{email!r} email is {emails[email].name} itself: merge the two",
                )
            )
        elif locale not in locales:
            known = ", ".join(locales) or "none"
            errors.append(
                CompileError(
                    where,
                    f"{path.name} is a variant for {locale}, which is not one of the project's "
                    f"translated locales ({known}): add locales/{locale}.po (`glasswork-email "
                    f"i18n init {locale}`) or list it in `locales`, or rename the file",
                )
            )
        elif locale in found.get(email, {}):
            errors.append(
                CompileError(
                    where,
                    f"two {locale} variants of {email!r} ({found[email][locale].name} and "
                    f"{path.name}): keep one",
                )
            )
        else:
            found.setdefault(email, {})[locale] = path
    return found


def compile_variant(
    main: CompiledEmail, path: Path, locale: str, compile_one: Callable[[Path], CompiledEmail]
) -> CompiledEmail:
    """Compile the ``locale`` variant at ``path`` of the email ``main`` and check its context
    against ``main``'s; raises ``TemplateCompileError`` at the variant's lines.

    ``main`` then depends on the variant's files, so changing one recompiles the email.

    Parameters:
        main: the email's main template, compiled.
        path: the variant's file.
        locale: its locale.
        compile_one: compiles one template file (the compile's environments and settings).
    """
    variant = compile_one(path)
    errors = check_variant_context(main.context, variant.context, main.source, path, locale)
    if errors:
        raise TemplateCompileError(errors)
    main.dependencies |= {path, *variant.dependencies}
    main.warnings.extend(variant.warnings)
    return variant


def check_variant_context(
    main: TypeShape, variant: TypeShape, main_file: Path, variant_file: Path, locale: str
) -> list[CompileError]:
    """Errors for each field ``variant`` reads that ``main`` lacks or types incompatibly.

    Parameters:
        main: the main template's context.
        variant: the variant's context, inferred from the variant alone.
        main_file: the main template, for messages.
        variant_file: the variant, for locations.
        locale: the variant's locale.
    """
    checker = _Checker(main_file, variant_file, locale)
    checker.model(main, variant, "")
    return checker.errors


class _Checker:
    def __init__(self, main_file: Path, variant_file: Path, locale: str) -> None:
        self.main_file = main_file
        self.variant_file = variant_file
        self.locale = locale
        self.errors: list[CompileError] = []

    def model(self, main: TypeShape, variant: TypeShape, prefix: str) -> None:
        fields = {field.name: field for field in main.fields}
        for wanted in variant.fields:
            path = f"{prefix}{wanted.name}"
            have = fields.get(wanted.name)
            if have is None:
                self.error(
                    wanted,
                    f"`{path}`: the {self.locale} variant reads it, but {self.main_file.name} "
                    "has no such field and a variant shares its email's context: use or "
                    f"declare it in {self.main_file.name}, or leave it out of the variant",
                )
                continue
            self.field(have, wanted, path)

    def field(self, have: FieldShape, wanted: FieldShape, path: str) -> None:
        if have.optional and not wanted.optional and not _any_value(wanted.type):
            self.error(
                wanted,
                f"`{path}` may be absent ({self.main_file.name} guards it: None by default), "
                f"but the {self.locale} variant uses it unguarded: guard it with "
                "{% if %} or `default(...)` in the variant",
            )
            return
        self.shape(have.type, wanted.type, path, wanted)

    def shape(self, have: TypeShape, wanted: TypeShape, path: str, field: FieldShape) -> None:
        if _any_value(wanted):
            return
        if wanted.kind != have.kind or (
            wanted.kind == "scalar"
            and wanted.annotation != have.annotation
            and not (wanted.annotation == "float" and have.annotation in _NUMBERS)
        ):
            self.error(
                field,
                f"`{path}` is {_describe(wanted)} in the {self.locale} variant but "
                f"{_describe(have)} in {self.main_file.name}: a variant shares its email's "
                "context; use it the same way in both",
            )
            return
        if wanted.kind == "model":
            self.model(have, wanted, f"{path}.")
        elif wanted.item is not None and have.item is not None:
            suffix = "[]" if wanted.kind == "list" else "{}"
            self.shape(have.item, wanted.item, f"{path}{suffix}", field)

    def error(self, field: FieldShape, message: str) -> None:
        location = field.location or SourceLocation(self.variant_file, 1)
        self.errors.append(CompileError(location, message))


def _any_value(shape: TypeShape) -> bool:
    return shape.kind == "scalar" and shape.annotation in _ANY_VALUE


def _describe(shape: TypeShape) -> str:
    if shape.kind == "scalar":
        return f"`{shape.annotation}`"
    if shape.kind == "model":
        return "a model (attributes read)"
    return f"a {shape.kind}"
