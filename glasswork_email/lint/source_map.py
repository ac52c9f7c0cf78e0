"""Map a rendered email's elements back to the template lines that wrote them.

MJML keeps no source positions, and a rendered element may come from the template, its
layout or a partial. So lint compiles each template a second time, the way the compiler does
(layouts and includes inlined, MJML applied), with a marker on every element of the source:
``css-class="gwlocN"`` on MJML components (MJML copies it onto the markup it generates) and
``data-gwloc="N"`` on HTML elements (copied as written), ``N`` naming the file and line the
element starts at. Rendered with the same fixture, the marked HTML has the same elements as
the email in the same order, only with markers: each element of the email is located at its
own marker, else at its nearest marked ancestor's (the component that generated it).

When the two renderings do not line up element for element, nothing is mapped and lint falls
back to looking for the offending value in the sources.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Template

from glasswork_email.compiler.config import CompileConfig
from glasswork_email.compiler.config import load_config as load_compile_config
from glasswork_email.compiler.errors import SourceLocation
from glasswork_email.compiler.tokens import Data, Piece, location_after
from glasswork_email.fixture_rendering import RenderedFixture, ScratchBuild
from glasswork_email.i18n.catalogs import identity_globals
from glasswork_email.lint.html_document import Element, parse_html

__all__ = ["ElementLocator", "SourceMaps", "mark_pieces"]

logger = logging.getLogger(__name__)

MARKER_ATTRIBUTE = "data-gwloc"
"""The attribute that marks an HTML element of the source with its location's number."""
MARKER_CLASS_PREFIX = "gwloc"
"""The class (``gwloc<N>``) that marks the markup an MJML component generates."""

_START_TAG = re.compile(r"<(?P<name>[A-Za-z][A-Za-z0-9:-]*)(?=[\s/>])")
_REGION = re.compile(r"<!--|-->|<mj-head\b|</mj-head\s*>", re.IGNORECASE)
_CSS_CLASS = re.compile(r"""\scss-class\s*=\s*(["'])""")
_MARKER_CLASS = re.compile(rf"(?:^|\s){MARKER_CLASS_PREFIX}(\d+)(?:\s|$)")
# MJML components that take no css-class: the root, includes and raw markup.
_UNMARKED_COMPONENTS = frozenset({"mjml", "mj-include", "mj-raw"})


@dataclass
class _MarkState:
    locations: list[SourceLocation] = field(default_factory=list)
    in_comment: bool = False
    in_head: bool = False


def _mark_data(piece: Data, state: _MarkState) -> Data:
    text = piece.text
    out: list[str] = []
    position = 0
    for match in _scan(text):
        kind, start, end = match
        if kind == "region":
            token = text[start:end].lower()
            if token == "<!--":
                state.in_comment = True
            elif token == "-->":
                state.in_comment = False
            elif token.startswith("<mj-head"):
                state.in_head = True
            elif token.startswith("</mj-head"):
                state.in_head = False
            continue
        if state.in_comment or state.in_head:
            continue
        name = text[start + 1 : end].lower()
        if name in _UNMARKED_COMPONENTS or name == "mj-head":
            continue
        number = len(state.locations)
        state.locations.append(location_after(piece.location, text[:start]))
        if name.startswith("mj-"):
            tag_end = text.find(">", end)
            tag = text[end : tag_end if tag_end >= 0 else len(text)]
            existing = _CSS_CLASS.search(tag)
            if existing is not None:
                closing = tag.find(existing.group(1), existing.end())
                if closing >= 0:
                    insert = end + closing
                    out.append(text[position:insert])
                    out.append(f" {MARKER_CLASS_PREFIX}{number}")
                    position = insert
                    continue
            marker = f' css-class="{MARKER_CLASS_PREFIX}{number}"'
        else:
            marker = f' {MARKER_ATTRIBUTE}="{number}"'
        out.append(text[position:end])
        out.append(marker)
        position = end
    out.append(text[position:])
    return Data("".join(out), piece.location)


def _scan(text: str) -> list[tuple[str, int, int]]:
    found = [("region", match.start(), match.end()) for match in _REGION.finditer(text)]
    found += [("tag", match.start(), match.end()) for match in _START_TAG.finditer(text)]
    # a region token such as "<mj-head" also matches as a tag: the region wins
    regions = {start for kind, start, _end in found if kind == "region"}
    kept = [item for item in found if item[0] == "region" or item[1] not in regions]
    return sorted(kept, key=lambda item: (item[1], item[0] != "region"))


def mark_pieces(
    pieces: Sequence[Piece], locations: list[SourceLocation] | None = None
) -> tuple[list[Piece], list[SourceLocation]]:
    """``pieces`` with a marker on every element start tag, and each marker's location.

    Parameters:
        pieces: a flattened template (layouts and includes inlined).
        locations: the list markers are numbered in (default: a new one); included files
            pass the template's, so numbers stay unique.
    """
    state = _MarkState(locations if locations is not None else [])
    marked = [_mark_data(piece, state) if isinstance(piece, Data) else piece for piece in pieces]
    return marked, state.locations


@dataclass(frozen=True)
class _MarkedTemplate:
    html: Template
    locations: list[SourceLocation]


def _marker_of(element: Element) -> int | None:
    value = element.attributes.get(MARKER_ATTRIBUTE)
    if value is not None and value.isdigit():
        return int(value)
    match = _MARKER_CLASS.search(element.attributes.get("class", ""))
    return int(match.group(1)) if match else None


class ElementLocator:
    """Where each element of one rendered email was written in the sources.

    Parameters:
        document: the rendered email, parsed.
        marked: the same email rendered from the marked build, parsed.
        locations: each marker's source location, by number.
    """

    def __init__(
        self, document: Element, marked: Element, locations: Sequence[SourceLocation]
    ) -> None:
        self._locations: dict[Element, SourceLocation] = {}
        inherited: dict[Element, SourceLocation | None] = {}
        for element, twin in zip(document.iter(), marked.iter(), strict=True):
            number = _marker_of(twin)
            own = locations[number] if number is not None and number < len(locations) else None
            parent = inherited.get(element.parent) if element.parent is not None else None
            location = own or parent
            inherited[element] = location
            if location is not None:
                self._locations[element] = location

    def location(self, element: Element) -> SourceLocation | None:
        """The file and line that wrote ``element`` (or its enclosing component), if known."""
        return self._locations.get(element)


def _same_shape(first: Element, second: Element) -> bool:
    return [element.tag for element in first.iter()] == [element.tag for element in second.iter()]


class SourceMaps:
    """Builds, once per template, the marked HTML that locates a build's rendered elements.

    Parameters:
        build: the scratch build whose emails are linted.
        config: the compile configuration (default: the nearest ``pyproject.toml``'s).
    """

    def __init__(self, build: ScratchBuild, config: CompileConfig | None = None) -> None:
        self.build = build
        self.config = config
        self._marked: dict[str, _MarkedTemplate | None] = {}

    def locator(self, rendered: RenderedFixture, document: Element) -> ElementLocator | None:
        """The locator of ``rendered``'s elements (``document`` is its parsed HTML), or
        ``None`` when the marked build cannot be made or does not line up."""
        marked = self._marked_template(rendered.template)
        if marked is None:
            return None
        try:
            template = self.build.compiled(rendered.template)
            context = template.context_model.model_validate_json(
                rendered.path.read_text(encoding="utf-8")
            )
            # marked strings render as written, through the callables a render without
            # catalogs uses (the compiled code calls them)
            variables = {**identity_globals(), **vars(context)}
            marked_document = parse_html(marked.html.render(variables))
        except Exception:  # a location is a convenience: never fail lint over it
            logger.debug("no source map for %s", rendered.path, exc_info=True)
            return None
        if not _same_shape(document, marked_document):
            logger.debug("the marked rendering of %s does not line up", rendered.path)
            return None
        return ElementLocator(document, marked_document, marked.locations)

    def _marked_template(self, name: str) -> _MarkedTemplate | None:
        if name not in self._marked:
            try:
                self._marked[name] = self._compile_marked(self.build.templates[name])
            except Exception:  # a location is a convenience: never fail lint over it
                logger.debug("no source map for template %s", name, exc_info=True)
                self._marked[name] = None
        return self._marked[name]

    def _compile_marked(self, source: Path) -> _MarkedTemplate:
        from glasswork_email.compiler.composition import SourceTree, flatten
        from glasswork_email.compiler.extensions import prepare_environment
        from glasswork_email.compiler.tokens import Protector
        from glasswork_email.rendering import create_compile_environment

        config = self.config or load_compile_config(self.build.source)
        environment = prepare_environment(create_compile_environment(), config)
        tree = SourceTree(self.build.source, environment)
        pieces, locations = mark_pieces(flatten(tree, source, set()))
        if source.suffix == ".mjml":
            from glasswork_email.compiler.mjml import compile_mjml

            protector = Protector("loc")

            def load_include(path: Path) -> list[Piece]:
                return mark_pieces(flatten(tree, path, set()), locations)[0]

            html = protector.restore(
                compile_mjml(
                    pieces,
                    protector.protect(pieces),
                    protector,
                    source,
                    load_include,
                    validation="warn",
                    warnings=[],
                )
            )
        else:
            html = "".join(piece.text for piece in pieces)
        template = environment.overlay(autoescape=True).from_string(html)
        return _MarkedTemplate(template, locations)
