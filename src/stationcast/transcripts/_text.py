"""Text helpers shared by every reader: character checks, normalisation, error building."""

from __future__ import annotations

import re
import unicodedata

from stationcast.errors import InputError, Problem
from stationcast.spec.xml import ILLEGAL_CHARACTER

from .model import Kind

FIELD = "transcript"

# Characters XML 1.0 forbids (tab, LF and CR are allowed; CR never survives line splitting),
# U+FFFE/U+FFFF and lone surrogates (only reachable through JSON "\ud800" escapes or
# surrogateescape-decoded bytes).
ILLEGAL = ILLEGAL_CHARACTER
# Every run of spaces, tabs, CRs and LFs that is not already a single space: matching only
# these keeps the common case (words separated by one space) free of per-space replacements.
_SPACE = re.compile(r" [ \t\n\r]+|[\t\n\r][ \t\n\r]*")
_MAX_PROBLEMS = 20


def problem(source: str, line: int | None, message: str, column: int | None = None) -> Problem:
    return Problem(file=source, line=line, column=column, field=FIELD, message=message)


def fail(source: str, line: int | None, message: str, column: int | None = None) -> InputError:
    return InputError([problem(source, line, message, column)])


def describe_char(ch: str) -> str:
    """``U+000B`` plus a hint of what the character is."""
    cp = ord(ch)
    if 0xD800 <= cp <= 0xDFFF:
        what = "a lone UTF-16 surrogate"
    elif cp in (0xFFFE, 0xFFFF):
        what = "a noncharacter"
    else:
        what = "a control character"
    return f"U+{cp:04X} ({what})"


def illegal_char_problems(text: str, source: str) -> list[Problem]:
    """One problem per line holding characters XML 1.0 cannot carry, for the first 20 lines.

    ``text`` must already have its line breaks normalised to ``\n``. Linear: after a hit the
    scan resumes at the next line.
    """
    problems: list[Problem] = []
    line, counted = 1, 0
    m = ILLEGAL.search(text)
    while m is not None:
        pos = m.start()
        line += text.count("\n", counted, pos)
        line_start = text.rfind("\n", 0, pos) + 1
        if len(problems) == _MAX_PROBLEMS:
            problems.append(
                problem(
                    source,
                    line,
                    "too many lines with characters XML 1.0 cannot carry; "
                    f"only the first {_MAX_PROBLEMS} are listed",
                )
            )
            break
        problems.append(
            problem(
                source,
                line,
                f"character {describe_char(m.group())} is not allowed in a transcript "
                "(XML 1.0 cannot carry it); remove it",
                column=pos - line_start + 1,
            )
        )
        next_line = text.find("\n", pos)
        if next_line < 0:
            break
        counted = pos
        m = ILLEGAL.search(text, next_line)
    return problems


def prepare(text: str, source: str, *, normalize: bool = True) -> str:
    """Normalise line breaks (CRLF, CR -> LF), drop a leading BOM, reject characters XML 1.0
    forbids (raising InputError naming line, column and code point), then apply NFC.

    Markup formats pass ``normalize=False`` and normalise each text piece after parsing
    instead: NFC over the whole file could compose a tag's ``>`` with a following U+0338 into
    ``≯`` and so break the markup.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _may_hold_illegal(text) and ILLEGAL.search(text):
        raise InputError(illegal_char_problems(text, source))
    return nfc(text) if normalize else text


_CONTROLS = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))


def _may_hold_illegal(text: str) -> bool:
    """False when `text` surely holds no character ILLEGAL matches; several times faster than
    the regular expression on long text. In UTF-8 the C0 controls are single bytes that never
    occur inside a multi-byte sequence (so bytes.translate finds them), U+FFFE and U+FFFF are
    EF BF BE/BF, and a surrogate (encodable only with surrogatepass) starts with ED, as do
    U+D000-U+D7FF (then the regular expression decides)."""
    if text.isascii():
        data = text.encode("ascii")
    else:
        data = text.encode("utf-8", "surrogatepass")
        if b"\xed" in data or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:
            return True
    return len(data.translate(None, _CONTROLS)) != len(data)


def nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """Collapse runs of spaces, tabs, CRs and LFs into one space; strip all whitespace at the ends.

    Other Unicode spaces inside the text (no-break space, thin space...) are meaningful and kept
    as they are; at either end they never are, so they go.
    """
    if "  " in text or "\t" in text or "\n" in text or "\r" in text:
        text = _SPACE.sub(" ", text)
    return text.strip()


def visible(text: str) -> bool:
    """Whether ``text`` has something to show: not only whitespace and invisible format
    characters (U+200B, U+FEFF, bidi marks). Readers drop segments that do not."""
    if text[:1].isalnum():  # nearly every paragraph: decided by its first character
        return True
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


def clean_text(text: str) -> str:
    """What a segment's text looks like after any reader: NFC and squashed."""
    return squash(nfc(text))


# --- non-speech cues -------------------------------------------------------------------------

_CUE = re.compile(r"\([^()\[\]\n]{1,200}\)|\[[^()\[\]\n]{1,200}\]")
# First words of cues in NPR-style transcripts ("(Through interpreter)" and "(Reading)" are
# annotations rather than sounds, but are not speech either).
_CUE_WORDS = frozenset(
    """
    applause background beep beeping bell bells bleep booing breathing chanting cheering
    cheers chuckle chuckles chuckling clapping cough coughing coughs crosstalk crying
    exhales foreign gasps groaning groans gunfire humming inaudible inhales laugh
    laughing laughs laughter music noise pause reading screaming shouting sigh sighing
    sighs silence singing sings sirens sniffles sobbing sobs sound soundbite speaking
    static through unintelligible vocalizing whispering whispers whistling yelling
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def is_cue_content(inner: str) -> bool:
    """Whether the text inside parentheses is a non-speech cue rather than an aside.

    Cues: several all-capital words (``SOUNDBITE OF MUSIC``), or text whose first word is a cue
    word (``LAUGHTER``, ``laughter``, ``Speaking Spanish``). A single all-capital word that is not
    a cue word is an acronym (``(ISIS)``), not a cue.
    """
    words = inner.split()
    if not words:
        return False
    first = words[0].strip(".,;:!?").casefold()
    if first in _CUE_WORDS:
        return True
    if len(words) < 2:
        return False
    has_upper = False
    for ch in inner:
        if ch.islower():
            return False
        has_upper = has_upper or ch.isupper()
    return has_upper


def is_whole_cue(text: str) -> bool:
    """A paragraph or cue that is entirely one bracketed note: ``(LAUGHTER)``, ``[MUSIC]``."""
    if len(text) < 3:
        return False
    close = {"(": ")", "[": "]"}.get(text[0])
    if close is None or text[-1] != close:
        return False
    inner = text[1:-1]
    return not any(b in inner for b in "()[]") and bool(inner.strip(" \t"))


def split_cues(text: str) -> list[tuple[Kind, str]]:
    """Split speech text into ``("speech", ...)`` and ``("nonspeech", "(laughter)")`` parts.

    Inline cues keep their brackets; the parts join back (``"".join``) to exactly ``text``.
    Linear time: brackets are matched with a bounded, backtracking-free pattern.
    """
    parts: list[tuple[Kind, str]] = []
    if not text:
        return parts
    if "(" not in text and "[" not in text:  # most paragraphs: no bracket, no cue
        parts.append(("speech", text))
        return parts
    pos = 0
    for m in _CUE.finditer(text):
        if not is_cue_content(m.group()[1:-1]):
            continue
        if m.start() > pos:
            parts.append(("speech", text[pos : m.start()]))
        parts.append(("nonspeech", m.group()))
        pos = m.end()
    if pos < len(text):
        parts.append(("speech", text[pos:]))
    return parts
