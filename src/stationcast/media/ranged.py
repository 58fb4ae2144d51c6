"""A remote media file read through HTTP Range requests, as a seekable file object, so the
build's own probe (stationcast.media.probe) can measure audio it cannot download whole:
`validate --remote --audio` compares a remote enclosure's real duration with its
itunes:duration from a few kilobytes at its start, middle and end.

Reads are served from blocks of BLOCK bytes, each fetched once. A probe that would need more
than `budget` bytes (counting the frames of an MP3 without a VBR header whose bitrate varies,
which means reading all of it) stops with OverBudget instead of downloading the file."""

from __future__ import annotations

import io
from collections.abc import Callable

BLOCK = 4096
#: What one probe may download at most (bytes): a few dozen blocks.
BUDGET = 1024 * 1024


class OverBudget(OSError):
    """The probe needs more of the file than the budget allows."""


class RangeUnavailable(OSError):
    """A range request failed (its message says how)."""


class RangedFile(io.RawIOBase):
    """`size` bytes read as `fetch(start, end)` gives them (`end` exclusive): the bytes, or an
    exception. `known` is what is already at hand from offset 0 (the first bytes fetched to
    sniff the container). `failure` keeps the first error: a parser may swallow it."""

    def __init__(
        self,
        fetch: Callable[[int, int], bytes],
        size: int,
        known: bytes = b"",
        budget: int = BUDGET,
    ) -> None:
        super().__init__()
        self._fetch, self.size, self.budget = fetch, size, budget
        self._pos = 0
        self._known = known[:size]
        self._blocks: dict[int, bytes] = {}
        self.fetched = 0  # bytes downloaded by range requests
        self.failure: OSError | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        want = min(len(view), max(0, self.size - self._pos))
        data = self._read(self._pos, self._pos + want)
        view[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def _read(self, start: int, end: int) -> bytes:
        if end <= len(self._known):
            return self._known[start:end]
        first, last = start // BLOCK, (end - 1) // BLOCK
        missing = [
            b for b in range(first, last + 1) if b not in self._blocks and not self._in_known(b)
        ]
        cost = sum(min(BLOCK, self.size - b * BLOCK) for b in missing)
        if self.fetched + cost > self.budget:
            self._fail(OverBudget(f"needs more than {self.budget:,} bytes of the file"))
        for run_start, run_end in _runs(missing):
            lo, hi = run_start * BLOCK, min(self.size, (run_end + 1) * BLOCK)
            try:
                data = self._fetch(lo, hi)
            except OSError as err:
                self._fail(err)
            if len(data) != hi - lo:
                self._fail(RangeUnavailable(f"bytes {lo}-{hi - 1} answered {len(data)} bytes"))
            self.fetched += len(data)
            for b in range(run_start, run_end + 1):
                self._blocks[b] = data[(b - run_start) * BLOCK : (b - run_start + 1) * BLOCK]
        parts = []
        for b in range(first, last + 1):
            lo = b * BLOCK
            block = self._known[lo : lo + BLOCK] if self._in_known(b) else self._blocks[b]
            parts.append(block[max(0, start - lo) : max(0, end - lo)])
        return b"".join(parts)

    def _in_known(self, block: int) -> bool:
        return (block + 1) * BLOCK <= len(self._known) or len(self._known) == self.size

    def _fail(self, err: OSError) -> None:
        if self.failure is None:
            self.failure = err
        raise err


def _runs(blocks: list[int]) -> list[tuple[int, int]]:
    """Consecutive block numbers as (first, last) runs: one request each."""
    runs: list[tuple[int, int]] = []
    for b in blocks:
        if runs and runs[-1][1] == b - 1:
            runs[-1] = (runs[-1][0], b)
        else:
            runs.append((b, b))
    return runs
