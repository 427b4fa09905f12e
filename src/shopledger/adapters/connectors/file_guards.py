"""What a file may hold before it is parsed: nesting, one record's size, a workbook's size.

ijson keeps every enclosing level's path while it parses (a 400 KB file of `[` grew to
22 GiB) and the json module recurses once per level, so nesting is measured on the raw
bytes, before either sees them. Texts are cut out first (a `[` inside a name is not a
level) with bytes methods that run at C speed, so the check costs a fraction of the parse.
"""
from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path
from typing import IO

from shopledger.domain import limits

_STRING_END = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]|[0-9]+', re.DOTALL)
_NOT_STRUCTURE = bytes(set(range(256)) - set(b'"[]{}'))
_LEVELS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # read as signed bytes: +1 opens, -1 closes
_DIGITS = b"0123456789"
_DIGITS_AS_ZERO = bytes.maketrans(_DIGITS, b"0" * 10)
_LONG_RUN = b"0" * (limits.MAX_NUMBER_DIGITS + 1)
_LINE_CHUNK = 65536


class FileLimit(Exception):
    """A limit of domain/limits.py reached; the message is the merchant's reason."""


class NestingGuard:
    """A binary file read for a streaming parser, raising `FileLimit` on the first read that
    brings nesting past MAX_DEPTH, one record past MAX_RECORD_BYTES, or a number past
    MAX_NUMBER_DIGITS.

    `base` is the depth records sit at: 1 in an array of orders, 0 for one order object.
    A read that goes too deep, or holds too long a number, is cut just before it, so the
    records before it in the same read are still parsed; the next read raises. A record's
    size is counted in whole reads (it may be off by one read, 64 KB).
    """

    def __init__(self, handle: IO[bytes] | None, base: int):
        self._handle, self._base = handle, base
        self._depth = 0
        self._in_string = False
        self._escaped = False  # the last read ended inside a text on a lone backslash
        self._tail_digits = 0  # digits the last read ended on, outside texts
        self._record_bytes = 0
        self._refused: FileLimit | None = None

    @property
    def name(self) -> str:
        return self._handle.name

    def read(self, size: int = -1) -> bytes:
        if self._refused is not None:
            raise self._refused
        chunk = self._handle.read(size)
        if chunk:
            before = (self._in_string, self._escaped, self._depth, self._tail_digits)
            try:
                self._scan(chunk)
            except FileLimit as limit:
                cut = 0 if str(limit) == limits.RECORD_TOO_LARGE else self._violation(chunk, *before)[0]
                if cut == 0:
                    raise
                self._refused = limit
                return chunk[:cut]
        return chunk

    def _scan(self, chunk: bytes) -> None:
        before = (self._in_string, self._escaped, self._depth, self._tail_digits)
        levels = array("b", self._structure(chunk).translate(_LEVELS, b'"'))
        lowest = self._depth
        if levels:
            if max(accumulate(levels, initial=self._depth)) > self._base + limits.MAX_DEPTH:
                raise FileLimit(limits.NESTED_TOO_DEEPLY)
            lowest = min(accumulate(levels, initial=self._depth))
            self._depth += sum(levels)
        # Digits are looked for anywhere first (texts too, at C speed), token by token only
        # when a long run shows up: ijson's C parser crashes the process on 4,301 of them.
        head = len(chunk) - len(chunk.lstrip(_DIGITS))
        if (_LONG_RUN in chunk.translate(_DIGITS_AS_ZERO) or not before[0] and before[3] + head > len(_LONG_RUN) - 1) \
                and self._violation(chunk, *before)[1] == limits.TOO_MANY_DIGITS:
            raise FileLimit(limits.TOO_MANY_DIGITS)
        self._tail_digits = 0 if self._in_string else len(chunk) - len(chunk.rstrip(_DIGITS))
        self._record_bytes = 0 if lowest <= self._base else self._record_bytes + len(chunk)
        if self._record_bytes > limits.MAX_RECORD_BYTES:
            raise FileLimit(limits.RECORD_TOO_LARGE)

    def _structure(self, chunk: bytes) -> bytes:
        """The brackets of `chunk` outside texts, with quotes left; remembers a text (or an
        escape) left open at its end."""
        if self._escaped:  # the byte after a backslash the last read ended on
            chunk, self._escaped = chunk[1:], False
        if b"\\" in chunk:
            # Pairs go left to right as JSON reads them: an escaped backslash, then an escaped
            # quote; every quote left opens or closes a text.
            chunk = chunk.replace(b"\\\\", b"").replace(b'\\"', b"")
            if chunk.endswith(b"\\"):
                chunk, self._escaped = chunk[:-1], True
        # Only quotes and brackets matter. Two quotes side by side are an empty text or the
        # end of one and the start of the next: dropping them keeps every bracket where it
        # was, in a text or not, and leaves quotes only around texts holding brackets (rare).
        marks = chunk.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
        if b'"' not in marks:
            return b"" if self._in_string else marks
        parts = marks.split(b'"')
        outside = parts[1::2] if self._in_string else parts[::2]
        if len(parts) % 2 == 0:
            self._in_string = not self._in_string
        return b"".join(outside)

    def _violation(self, chunk: bytes, in_string: bool, escaped: bool, depth: int,
                   tail_digits: int) -> tuple[int, str | None]:
        """Where in `chunk` nesting or a number first passes its limit, and which, token by
        token: slow, so only run on a read that the quick look above found suspect."""
        start = 0
        if in_string:
            if (end := _STRING_END.match(chunk, 1 if escaped else 0)) is None:
                return 0, None
            start = end.end()
        for token in _TOKEN.finditer(chunk, start):
            first = token.group()[:1]
            if first in b"[{":
                depth += 1
                if depth > self._base + limits.MAX_DEPTH:
                    return token.start(), limits.NESTED_TOO_DEEPLY
            elif first in b"]}":
                depth -= 1
            elif first != b'"':
                carried = tail_digits if token.start() == 0 and not in_string else 0
                if carried + len(token.group()) > limits.MAX_NUMBER_DIGITS:
                    return token.start(), limits.TOO_MANY_DIGITS
        return 0, None


def nesting_problem(line: bytes) -> str | None:
    """Why one record on its own (an NDJSON line) is refused unparsed: nesting past MAX_DEPTH."""
    if line.count(b"[") + line.count(b"{") <= limits.MAX_DEPTH:  # the common case, at C speed
        return None
    try:
        NestingGuard(None, 0)._scan(line)  # noqa: SLF001 - one record is one read
    except FileLimit as limit:
        return str(limit)
    return None


def bounded_lines(handle: IO[bytes]) -> Iterator[bytes | None]:
    """The lines of `handle`; None for one longer than MAX_RECORD_BYTES, which is skipped
    without ever being held whole."""
    longest = limits.MAX_RECORD_BYTES
    while line := handle.readline(longest + 1):
        if len(line) <= longest or line.endswith(b"\n"):
            yield line
            continue
        while (rest := handle.readline(_LINE_CHUNK)) and not rest.endswith(b"\n"):
            pass
        yield None


def workbook_size_problem(path: Path) -> str | None:
    """Why a workbook is refused unread: what its zip says it unpacks to, past the limit. A file
    that is no zip at all is left to the workbook reader to name."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return limits.workbook_too_large(unpacked) if unpacked > limits.MAX_WORKBOOK_BYTES else None
