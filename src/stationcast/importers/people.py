"""Who speaks in a station transcript: credits from speaker labels and what the text says.

* A person's full name comes from their first full-name label (``PETER NEUMANN``), written
  as the text writes it when it names them ("Peter Neumann wrote the report"), else from
  the label's letters; a surname-only label (``NEUMANN``) is attached to the full-name label
  it ends.
* Roles come from the label (``, HOST`` -> host, ``, BYLINE`` -> reporter) or from what the
  text says: "Host Marisol Vega talked with..." names the host; a sign-off such as "That's
  Peter Neumann." tells that its speaker is the host and the person named is the guest.
* What the page does not say is left open (an empty name or role with a reason), never
  guessed. Unidentified voices (``UNIDENTIFIED PERSON #1``) are not credited.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from stationcast.transcripts import Transcript, label_key
from stationcast.transcripts.resolve import uncredited_voice

LABEL_ROLES = {
    "host": "host",
    "co-host": "co-host",
    "cohost": "co-host",
    "guest host": "guest host",
    "byline": "reporter",
    "reporter": "reporter",
    "correspondent": "reporter",
    "announcer": "announcer",
    "narrator": "narrator",
    "narration": "narrator",
    "producer": "producer",
    "guest": "guest",
}
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.\-]*"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}"
_HOST_SAYS = re.compile(rf"\b(?:[Hh]ost|[Aa]nchor|[Cc]o-host)\s+(?P<name>{_NAME})")
# "That was X" after a clip names the clip's speaker, so only "That's X" / "That is X", and only
# near the end of the conversation, where a host thanks the guest.
_SIGN_OFF = re.compile(rf"(?:^|[.?!]\s+)(?:That's|That’s|That is)\s+(?P<name>{_NAME})")
_SIGN_OFF_TURNS = 3
_HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "president",
        "senator",
        "sen",
        "rep",
        "representative",
        "gov",
        "governor",
        "mayor",
        "judge",
        "professor",
        "prof",
        "general",
        "gen",
        "host",
        "reporter",
        "correspondent",
        "the",
        "and",
        "but",
        "so",
        "then",
        "that's",
        "i'm",
        "this",
        "with",
        "says",
        "said",
        "sir",
        "dame",
        "lord",
        "lady",
    ]
)
# Name particles whose capitalisation cannot be read off an all-capitals label.
_DOUBTFUL = re.compile(
    r"^(?:MC|MAC|VAN|VON|DE|DI|DA|DU|LA|LE|DEL|DELLA|D'|D’|FITZ|ST\.?)", re.IGNORECASE
)
_ROLE_ORDER = {"host": 0, "co-host": 1, "guest host": 2}


@dataclass
class Person:
    labels: list[str]  # as written in the transcript, first appearance first
    name: str = ""  # "" when the page does not say
    name_from: str = ""  # how the name was found, for the report
    role: str = ""  # Podcast Taxonomy role, "" when the page does not say
    role_from: str = ""
    label_roles: list[str] = field(default_factory=list)  # roles written in labels ("HOST")
    todos: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    notes: list[str] = field(default_factory=list)
    first: int = 0  # index of the first segment, for ordering


@dataclass
class Cast:
    people: list[Person]
    uncredited: list[str]  # labels of unidentified voices, shown as written


def _fold(text: str) -> str:
    """Label comparison: NFC, case-folded, apostrophes unified, accents ignored."""
    text = label_key(text).replace("’", "'")
    return "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )


def _words(label: str) -> list[str]:
    return _fold(label).split()


def title_case(label: str) -> str:
    """``TOMÁS ECHEVERRÍA`` -> ``Tomás Echeverría``; ``O'BRIEN`` -> ``O'Brien``;
    ``ANNE-MARIE`` -> ``Anne-Marie``."""

    def word(w: str) -> str:
        return re.sub(r"[^\W\d_]+", lambda m: m.group()[:1].upper() + m.group()[1:].lower(), w)

    return " ".join(word(w) for w in label.split())


def find_cast(t: Transcript, texts: list[str]) -> Cast:
    """The people in `t`. `texts` is every paragraph of the page (intro, turns) to search
    names in."""
    order: list[str] = []
    roles: dict[str, list[str]] = {}
    first_seen: dict[str, int] = {}
    for index, seg in enumerate(t.segments):
        if seg.speaker is None:
            continue
        if seg.speaker not in first_seen:
            first_seen[seg.speaker] = index
            order.append(seg.speaker)
        if seg.label_role and seg.label_role not in roles.setdefault(seg.speaker, []):
            roles[seg.speaker].append(seg.label_role)

    people: list[Person] = []
    uncredited: list[str] = []
    by_label: dict[str, Person] = {}
    pending: list[str] = []
    for label in order:
        if uncredited_voice(label) is not None:
            uncredited.append(label)
            continue
        owner = _owner(label, people)
        if owner is not None:
            owner.labels.append(label)
            by_label[label] = owner
        elif len(label.split()) == 1:
            pending.append(label)  # a surname: its full name may come later
        else:
            person = Person([label], first=first_seen[label])
            people.append(person)
            by_label[label] = person
    for label in pending:
        owners = [p for p in people if _ends_with(p.labels[0], label)]
        if len(owners) == 1:
            owners[0].labels.append(label)
            by_label[label] = owners[0]
            continue
        person = Person([label], first=first_seen[label])
        if len(owners) > 1:
            person.todos.append(
                (
                    "name",
                    f"{label} could be {' or '.join(o.labels[0] for o in owners)}; give the full"
                    " name (and merge the credits if they are one person)",
                )
            )
        people.append(person)
        by_label[label] = person
    for person in people:
        for label in person.labels:
            for role in roles.get(label, []):
                if role not in person.label_roles:
                    person.label_roles.append(role)

    all_text = "\n".join(texts)
    for person in people:
        _name(person, all_text, t, by_label)
    _roles(people, t, by_label, all_text)
    people.sort(key=lambda p: (_ROLE_ORDER.get(p.role, 9), p.first))
    return Cast(people, uncredited)


def _ends_with(full: str, tail: str) -> bool:
    full_words, tail_words = _words(full), _words(tail)
    return len(tail_words) < len(full_words) and full_words[-len(tail_words) :] == tail_words


def _owner(label: str, people: list[Person]) -> Person | None:
    key = _words(label)
    for person in people:
        if any(_words(existing) == key for existing in person.labels):
            return person
    owners = [p for p in people if _ends_with(p.labels[0], label)]
    return owners[0] if len(owners) == 1 else None


def _mixed_case(found: str) -> bool:
    return any(ch.islower() for ch in found)


def _name(person: Person, text: str, t: Transcript, by_label: dict[str, Person]) -> None:
    full = max(person.labels, key=lambda label: len(label.split()))
    if len(full.split()) > 1:
        # The text's own spelling of the name ("Peter Neumann"), else the label's letters.
        pattern = r"\b" + r"\s+".join(re.escape(w) for w in full.split()) + r"\b"
        for m in re.finditer(pattern, text, re.IGNORECASE):
            if _mixed_case(m.group()):
                person.name = " ".join(m.group().split())
                person.name_from = "as the text writes it"
                return
        person.name = title_case(full)
        person.name_from = f"from the label {full}"
        if any(_DOUBTFUL.match(w) for w in full.split()):
            person.todos.append(
                ("name", f"spelled from the label {full}; check the capitals ({person.name})")
            )
        return
    # A surname only: the text may name the person in full ("I'm Marisol Vega",
    # "Host Marisol Vega").
    surname = full
    candidates: list[str] = []
    pattern = rf"(?P<name>(?:{_NAME_WORD}\s+){{1,3}}){re.escape(surname)}\b"
    for m in re.finditer(pattern, text, re.IGNORECASE):
        tail = m.group()[len(m.group("name")) :]
        if not _mixed_case(tail):
            continue
        words = m.group("name").split()
        while words and (
            not words[0][:1].isupper() or words[0].casefold().strip(".") in _HONORIFICS
        ):
            words.pop(0)
        if words and all(w[:1].isupper() for w in words):
            candidates.append(" ".join([*words, tail]))
    distinct = list(dict.fromkeys(candidates))
    if len(distinct) == 1:
        person.name = distinct[0]
        person.name_from = "named so in the text"
        person.notes.append(f"{surname}: full name {person.name!r} taken from the text")
    elif distinct:
        person.todos.append(
            (
                "name",
                f"the page has only the label {surname}; the text names {', '.join(distinct)}:"
                " which one?",
            )
        )
    else:
        person.todos.append(
            ("name", f"the page has only the label {surname}; give the speaker's full name")
        )


def _clean_name(name: str) -> str:
    """Cut a matched name at the end of its sentence: "Peter Neumann. He" -> "Peter Neumann"."""
    out: list[str] = []
    for word in name.split():
        if word.endswith(".") and len(word.rstrip(".")) > 1:
            out.append(word.rstrip("."))
            break
        out.append(word)
    return " ".join(out)


def _person_named(name: str, people: list[Person]) -> Person | None:
    words = _words(_clean_name(name))
    if not words:
        return None
    for person in people:
        if person.name and _words(person.name) == words:
            return person
    matches = [
        p
        for p in people
        if any(_words(label) == words[-len(_words(label)) :] for label in p.labels)
    ]
    return matches[0] if len(matches) == 1 else None


def _roles(people: list[Person], t: Transcript, by_label: dict[str, Person], text: str) -> None:
    for person in people:
        for label_role in person.label_roles:
            role = LABEL_ROLES.get(label_role.casefold())
            if role and not person.role:
                person.role, person.role_from = role, f"the label says {label_role}"
    # "Host Marisol Vega talked with ..."
    for m in _HOST_SAYS.finditer(text):
        named = _person_named(m.group("name"), people)
        if named is not None and not named.role:
            named.role, named.role_from = "host", f"the text says {m.group()!r}"
            if not named.name:
                named.name, named.name_from = _clean_name(m.group("name")), "named so in the text"
                named.todos = [td for td in named.todos if td[0] != "name"]
    # A sign-off: "That's Peter Neumann." said by the host about the guest.
    speech = [turn for turn in t.turns() if turn.speaker is not None]
    for turn in speech[-_SIGN_OFF_TURNS:]:
        speaker = by_label.get(turn.speaker or "")
        if speaker is None:
            continue
        for seg in turn.segments:
            for m in _SIGN_OFF.finditer(seg.text):
                guest = _person_named(m.group("name"), people)
                if guest is None or guest is speaker:
                    continue
                if not guest.role:
                    guest.role, guest.role_from = (
                        "guest",
                        f"{speaker.labels[0]} signs off with {m.group().strip()!r}",
                    )
                if not speaker.role:
                    speaker.role, speaker.role_from = (
                        "host",
                        f"signs off with {m.group().strip()!r}",
                    )
                    speaker.notes.append(
                        f"{speaker.labels[0]} is the host and {guest.labels[0]} the guest:"
                        f" {speaker.labels[0]} says {_clean_name(m.group().strip())!r}"
                    )
    for person in people:
        if not person.role:
            hint = (
                f" (the label calls them {', '.join(person.label_roles)})"
                if person.label_roles
                else ""
            )
            person.todos.append(
                (
                    "role",
                    f"the page does not say what {person.labels[0]} is{hint}: guest, reporter,"
                    " host...?",
                )
            )
