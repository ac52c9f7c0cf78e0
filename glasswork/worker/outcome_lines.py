"""Outcome lines written straight to the streams of the handlers that would have written them.

Through ``logging`` an outcome line costs more than a quick job: a ``LogRecord`` (with its
thread, process and time fields), the handler's lock, its formatter and a flush. For the
handlers whose output is known exactly, the worker writes the very same text itself:

- ``logging.StreamHandler`` and ``logging.FileHandler`` themselves (not subclasses, which may
  emit differently), without filters, with an open stream;
- formatted by ``JsonLogFormatter``, or by ``logging.Formatter`` itself with a ``%``-style
  format of the fields listed in ``TEXT_FIELDS`` and no ``defaults``.

The route from the outcome logger (``glasswork.worker``) to its handlers is read once per
batch (``refresh``): its level, its filters, the handlers of it and its ancestors as
``propagate`` allows. When any part of that route is something else (a filter, another
handler class or formatter, no handler at all), every line goes through ``logging`` as before,
so any configuration a user makes keeps working; a configuration changed while a batch runs
applies from the next batch.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii
from typing import Any

from glasswork.worker.outcome import RecordResult

__all__ = ["TEXT_FIELDS", "OutcomeLineWriter", "succeeded_fields_json"]

TEXT_FIELDS = frozenset(
    {"asctime", "levelname", "levelno", "name", "message", "msg", "created", "msecs", "process"}
)
"""The ``%(...)s`` fields a plain ``logging.Formatter`` may use for the direct writes."""

_FIELD = re.compile(r"%\((\w+)\)")
_SPEC = re.compile(r"%\(\w+\)[^a-zA-Z%]*[a-zA-Z%]")


class _Target:
    """One handler the lines are written to, with what its lines need (made once per handler).

    A plain class, not a dataclass: it is built at a worker's cold start, where a dataclass's
    generated methods cost about a millisecond, and nothing compares or copies it.
    """

    __slots__ = (
        "asctime",
        "flushing_writer",
        "format",
        "formatter",
        "fresh_from",
        "fresh_until",
        "handler",
        "held_writer",
        "info_parts",
        "json",
        "keys",
        "lock",
        "millisecond",
        "msec_format",
        "other_keys",
        "second",
        "second_text",
        "templates",
        "terminator",
    )

    def __init__(
        self,
        handler: logging.StreamHandler[Any],
        lock: AbstractContextManager[Any],
        formatter: logging.Formatter,
        json: bool,
        format: str = "",
        keys: frozenset[str] = frozenset(),
        other_keys: bool = False,
        msec_format: str | None = None,
    ) -> None:
        self.handler = handler
        self.lock = lock
        self.formatter = formatter
        self.json = json
        self.format = format
        self.keys = keys
        self.other_keys = other_keys
        self.msec_format = msec_format
        # For a format of plain %(asctime)s, %(message)s, %(name)s and %(levelname)s: the line
        # of each level as a str.format template of the time and the message.
        self.templates: dict[int, str] | None = None
        # For the same formats, when the time comes before the message: the INFO line's text
        # before the time, between time and message, and after the message.
        self.info_parts: tuple[str, str, str] | None = None
        # Warm caches: the formatted date of the last second, and the last time, a line was
        # written.
        self.second = -1
        self.second_text = ""
        self.millisecond = -1.0
        self.asctime = ""
        # The times, a little inside that millisecond, for which `asctime` is the text.
        self.fresh_from = 0.0
        self.fresh_until = 0.0
        # The handler's terminator when the target was made (a changed one makes a new target).
        self.terminator = handler.terminator
        # Warm caches: the succeeded-line writers of this target, with flushes held and not.
        self.held_writer: Callable[[RecordResult], None] | None = None
        self.flushing_writer: Callable[[RecordResult], None] | None = None


class OutcomeLineWriter:
    """Writes outcome lines directly when the handlers that would write them allow it.

    Parameters:
        logger: the outcome logger (``glasswork.worker``).
        json_formatter: the class whose output the JSON target reproduces (``JsonLogFormatter``).
    """

    def __init__(self, logger: logging.Logger, json_formatter: type[logging.Formatter]) -> None:
        self.logger = logger
        self.json_formatter = json_formatter
        self._targets: list[_Target] | None = None
        # The route's one target, when succeeded lines can be written by one writer.
        self._succeeded: _Target | None = None
        self._local = threading.local()
        # Warm cache: the targets of the last refresh, by handler, reused while unchanged.
        self._known: dict[logging.Handler, _Target] = {}

    def refresh(self) -> None:
        """Read the route from the outcome logger to its handlers (once per batch)."""
        targets = self._targets = self._route()
        self._succeeded = None
        if targets is not None and len(targets) == 1:
            target = targets[0]
            handler = target.handler
            if (
                target.info_parts is not None
                and handler.stream is not None
                and handler.level <= logging.INFO
            ):
                self._succeeded = target

    def _route(self) -> list[_Target] | None:
        logger: logging.Logger | None = self.logger
        if self.logger.filters or self.logger.disabled:
            return None
        targets: list[_Target] = []
        known: dict[logging.Handler, _Target] = {}
        while logger is not None:
            for handler in logger.handlers:
                target = self._known.get(handler)
                if target is None or not _unchanged(target, handler):
                    target = self._target(handler)
                if target is None:
                    return None
                targets.append(target)
                known[handler] = target
            logger = logger.parent if logger.propagate else None
        self._known = known
        return targets or None

    def _target(self, handler: logging.Handler) -> _Target | None:
        if type(handler) not in (logging.StreamHandler, logging.FileHandler) or handler.filters:
            return None
        assert isinstance(handler, logging.StreamHandler)
        lock = handler.lock
        if lock is None:
            return None
        formatter = handler.formatter or _DEFAULT_FORMATTER
        if type(formatter) is self.json_formatter:
            return _Target(handler, lock, formatter, True)
        if type(formatter) is not logging.Formatter:
            return None
        style = formatter._style
        if type(style) is not logging.PercentStyle or getattr(style, "_defaults", None):
            return None
        keys = frozenset(_FIELD.findall(style._fmt))
        if not keys <= TEXT_FIELDS:
            return None
        msec_format = None if formatter.datefmt else formatter.default_msec_format
        other = bool(keys - {"message", "name", "levelname", "asctime"})
        target = _Target(handler, lock, formatter, False, style._fmt, keys, other, msec_format)
        if not other and all(spec.endswith(")s") for spec in _SPEC.findall(style._fmt)):
            target.templates = {
                level: _template(style._fmt, self.logger.name, level)
                for level in (logging.INFO, logging.WARNING, logging.ERROR)
            }
            target.info_parts = _parts(style._fmt, self.logger.name)
        return target

    def hold_flushes(self) -> None:
        """Until ``release_flushes``, lines written by this thread are flushed only then (a
        batch of quick jobs: its lines reach the stream together, within a millisecond)."""
        self._local.held = set()

    def release_flushes(self) -> None:
        """Flush the streams written to since ``hold_flushes``."""
        held: set[logging.StreamHandler[Any]] | None = getattr(self._local, "held", None)
        self._local.held = None
        for handler in held or ():
            handler.flush()

    def write(self, level: int, text: str, fields_json: str, json_fields: bool) -> bool:
        """Write one outcome line to every handler of the route; ``False``: use ``logging``.

        Parameters:
            level: the line's level.
            text: the record's message.
            fields_json: the outcome fields as ``json.dumps`` writes them.
            json_fields: whether the fields go at the top level of JSON lines.
        """
        targets = self._targets
        if targets is None:
            return False
        created, msecs = _now()
        name = self.logger.name
        held: set[logging.StreamHandler[Any]] | None = getattr(self._local, "held", None)
        for target in targets:
            handler = target.handler
            if level < handler.level:
                continue
            if handler.stream is None:
                # A FileHandler that opens its file on its first record: logging does that.
                handler.handle(self.logger.makeRecord(name, level, __file__, 0, text, (), None))
                continue
            if target.json:
                line = _json_line(created, level, name, text, fields_json, json_fields)
            else:
                templates = target.templates
                template = None if templates is None else templates.get(level)
                if template is None:
                    line = _text_line(target, created, msecs, level, name, text)
                else:
                    line = template.format(_asctime(target, created, msecs), text)
            with target.lock:  # as Handler.handle holds it around emit
                try:
                    stream = handler.stream
                    stream.write(line + handler.terminator)
                    if held is None:
                        stream.flush()
                    else:
                        held.add(handler)
                except Exception:
                    record = self.logger.makeRecord(name, level, __file__, 0, text, (), None)
                    handler.handleError(record)
        return True

    def succeeded_writer(self) -> Callable[[RecordResult], None] | None:
        """What writes the succeeded lines of the rest of this thread's batch, when the route
        (as ``refresh`` read it) is one handler writing plain text with the time before the
        message (the fields are the message, as ``succeeded_fields_json`` gives them); else
        ``None``.

        The writer depends only on the target and on whether flushes are held, so it is made
        once per target and kind (a warm cache), not once per batch.
        """
        target = self._succeeded
        if target is None:
            return None
        held: set[logging.StreamHandler[Any]] | None = getattr(self._local, "held", None)
        if held is None:
            return target.flushing_writer or self._succeeded_writer(target, flushes_held=False)
        held.add(target.handler)  # flushed once, when the batch releases its flushes
        return target.held_writer or self._succeeded_writer(target, flushes_held=True)

    def _succeeded_writer(
        self, target: _Target, *, flushes_held: bool
    ) -> Callable[[RecordResult], None]:
        assert target.info_parts is not None
        before, between, after = target.info_parts
        after += target.terminator
        handler = target.handler
        lock = handler.lock
        assert lock is not None  # a target's handler has its lock
        acquire, release = lock.acquire, lock.release
        logger = self.logger
        clock = time.time
        escape = encode_basestring_ascii
        # Per job name: the line's text from after the time to the job id.
        prefixes: dict[str | None, str] = {}
        durations = _DURATION_TEXTS

        def write(result: RecordResult) -> None:
            # The fields as succeeded_fields_json writes them (a test holds the two equal),
            # built here without its calls: this runs once per record of a quick batch.
            job_name = result.job_name
            prefix = prefixes.get(job_name)
            if prefix is None:
                prefix = prefixes[job_name] = between + _succeeded_head(job_name)
            job_id = result.job_id
            microseconds = round(result.duration_seconds * 1_000_000)
            duration = durations.get(microseconds)
            if duration is None:
                duration = repr(microseconds / 1000)  # as milliseconds() gives it
                if microseconds < _CACHED_DURATIONS:
                    durations[microseconds] = duration
            # Within the millisecond of the last line, its time text is this line's too.
            if not target.fresh_from <= clock() < target.fresh_until:
                _asctime(target, *_now())
            line = (
                f"{before}{target.asctime}{prefix}"
                f"{'null' if job_id is None else escape(job_id)}, "
                f'"attempt": {result.attempt_number}, "duration_ms": {duration}, '
                f'"message_id": {escape(result.message_id)}}}{after}'
            )
            acquire()  # the handler's lock, as Handler.handle holds it around emit
            try:
                stream = handler.stream
                stream.write(line)
                if not flushes_held:
                    stream.flush()
            except Exception:
                record = logger.makeRecord(logger.name, logging.INFO, __file__, 0, line, (), None)
                handler.handleError(record)
            finally:
                release()

        if flushes_held:
            target.held_writer = write
        else:
            target.flushing_writer = write
        return write


_CACHED_DURATIONS = 1000
"""Durations below this many microseconds have their text kept: a quick batch's jobs take
less than a millisecond between them, so their lines reuse at most this many texts, and
a float's text is the dearest part of a line to make."""

_DURATION_TEXTS: dict[int, str] = {}
"""Warm cache: ``duration_ms`` texts of succeeded lines, by whole microseconds."""


def _json_line(
    created: float, level: int, name: str, text: str, fields_json: str, json_fields: bool
) -> str:
    # What JsonLogFormatter writes for an outcome record: these four keys, then the fields.
    timestamp = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    head = (
        f'{{"timestamp": "{timestamp}", "level": "{logging.getLevelName(level)}", '
        f'"logger": {encode_basestring_ascii(name)}, "message": {encode_basestring_ascii(text)}'
    )
    if json_fields and fields_json != "{}":
        return f"{head}, {fields_json[1:]}"
    return head + "}"


def _text_line(
    target: _Target, created: float, msecs: float, level: int, name: str, text: str
) -> str:
    # What logging.Formatter.format writes for a record without exc_info or stack_info.
    keys = target.keys
    values: dict[str, object] = {"message": text, "name": name}
    if "levelname" in keys:
        values["levelname"] = logging.getLevelName(level)
    if "asctime" in keys:
        values["asctime"] = _asctime(target, created, msecs)
    if target.other_keys:
        values.update(levelno=level, msg=text, created=created, msecs=msecs, process=os.getpid())
    return target.format % values


def _unchanged(target: _Target, handler: logging.Handler) -> bool:
    formatter = handler.formatter or _DEFAULT_FORMATTER
    return (
        not handler.filters
        and target.formatter is formatter
        and (target.json or target.format == formatter._style._fmt)
        and target.terminator == getattr(handler, "terminator", None)
    )


def _asctime(target: _Target, created: float, msecs: float) -> str:
    # What Formatter.formatTime gives for this time, cached for the last millisecond.
    second = int(created)
    if second == target.second and msecs == target.millisecond:
        return target.asctime
    if second != target.second:
        formatter = target.formatter
        target.second_text = time.strftime(
            formatter.datefmt or formatter.default_time_format, formatter.converter(created)
        )
        target.second = second
    msec_format = target.msec_format
    target.asctime = (
        msec_format % (target.second_text, msecs) if msec_format else target.second_text
    )
    target.millisecond = msecs
    start = second + msecs / 1000
    target.fresh_from = start + _CLOCK_MARGIN
    target.fresh_until = start + 0.001 - _CLOCK_MARGIN
    return target.asctime


_CLOCK_MARGIN = 1e-6
"""Seconds kept clear of a millisecond's edges when a clock reading is matched to the cached
time text: float rounding of ``time.time()`` (about 0.24 µs today) cannot cross them."""


def _with_markers(fmt: str, name: str, level: int) -> str:
    # The line of one level rendered once with markers in place of the time and the message,
    # so the % formatting of the rest is exactly logging's.
    return fmt % {
        "asctime": "\x00time\x00",
        "message": "\x00message\x00",
        "name": name,
        "levelname": logging.getLevelName(level),
    }


def _template(fmt: str, name: str, level: int) -> str:
    # The line of one level with the time as {0} and the message as {1}.
    escaped = _with_markers(fmt, name, level).replace("{", "{{").replace("}", "}}")
    return escaped.replace("\x00time\x00", "{0}").replace("\x00message\x00", "{1}")


def _parts(fmt: str, name: str) -> tuple[str, str, str] | None:
    # The INFO line around the time and the message, when the format has each once, the time
    # first.
    rendered = _with_markers(fmt, name, logging.INFO)
    before, time_marker, rest = rendered.partition("\x00time\x00")
    between, message_marker, after = rest.partition("\x00message\x00")
    if not time_marker or not message_marker or "\x00" in before + between + after:
        return None
    return before, between, after


# Warm cache: each job's succeeded line up to its job id, made on the job's first line.
_succeeded_heads: dict[str | None, str] = {}


def _succeeded_head(job_name: str | None) -> str:
    head = _succeeded_heads.get(job_name)
    if head is None:
        head = _succeeded_heads[job_name] = (
            '{"event": "job_outcome", "outcome": "succeeded", '
            f'"job_name": {_string(job_name)}, "job_id": '
        )
    return head


def succeeded_fields_json(
    job_name: str | None, job_id: str | None, attempt: int, duration_ms: float, message_id: str
) -> str:
    """``json.dumps`` of a succeeded record's outcome fields, built without the encoder."""
    return (
        f'{_succeeded_head(job_name)}{_string(job_id)}, "attempt": {attempt!r}, '
        f'"duration_ms": {duration_ms!r}, "message_id": {_string(message_id)}}}'
    )


def _string(value: str | None) -> str:
    return "null" if value is None else encode_basestring_ascii(value)


if sys.version_info >= (3, 13):

    def _now() -> tuple[float, float]:
        """``created`` and ``msecs`` as this Python's ``LogRecord`` computes them."""
        ns = time.time_ns()
        return ns / 1e9, (ns % 1_000_000_000) // 1_000_000 + 0.0

else:

    def _now() -> tuple[float, float]:
        """``created`` and ``msecs`` as this Python's ``LogRecord`` computes them."""
        created = time.time()
        return created, int((created - int(created)) * 1000) + 0.0


_DEFAULT_FORMATTER = logging.Formatter()
"""What a handler without a formatter formats with (``logging``'s own default)."""
