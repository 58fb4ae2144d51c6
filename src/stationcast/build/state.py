"""What a build published, and the checks that keep GUIDs and episodes from breaking.

Podcast apps identify an episode by its `<guid>` (and, failing that, by its enclosure URL).
Change either and every subscriber downloads the episode again as a "new" one; drop an item
from the feed and directories delete the episode. So every build records what it published
in a state file inside the output (`.stationcast/state.json`), and the next build compares:

* an episode that was published and is no longer built fails the build, unless
  ``allow_removal`` (``--allow-removal``);
* an episode whose GUID or enclosure URL changed fails the build, unless
  ``allow_guid_change`` (``--allow-guid-change``); so does a changed ``podcast:guid``.

The previous state is read from the output folder and, when given, from a state file fetched
from the published site (``--state PATH``), so the check also works on a fresh checkout.

The file is JSON, sorted and indented, so two builds of the same input write the same bytes:
``{"version": 1, "podcast_guid": ..., "feed_url": ..., "episodes": [{"guid", "enclosure",
"slug", "published"}, ...]}`` with episodes sorted by slug.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from stationcast.errors import BuildError, Message, Option, Problem
from stationcast.inputs import MAX_JSON_DEPTH, STATE, Refused, json_too_deep, read_input
from stationcast.inputs import STATE_FILE as STATE_FILE

# The caller's options the messages name (build_show's keyword arguments; flags on the CLI).
_ALLOW_REMOVAL = Option("allow_removal")
_ALLOW_GUID_CHANGE = Option("allow_guid_change")
_STATE_OPTION = Option("state")

VERSION = 1
MAX_STATE_BYTES = STATE.max_bytes


@dataclass(frozen=True, order=True)
class Published:
    """One published episode, as the state file records it."""

    slug: str
    guid: str
    enclosure: str
    published: str  # ISO 8601, as in the manifest


@dataclass(frozen=True)
class State:
    episodes: tuple[Published, ...] = ()
    podcast_guid: str | None = None
    feed_url: str | None = None
    source: str = ""  # where it was read from, for messages

    def to_json(self) -> str:
        """Sorted, indented JSON: the same bytes as `json.dumps(..., indent=2, sort_keys=True,
        ensure_ascii=False)`, written per field (that encoder is pure Python and takes a
        third of a second for 10,000 episodes)."""
        quote = json.encoder.encode_basestring
        if not self.episodes:
            return self._to_json_slow()
        lines = []
        for e in sorted(self.episodes):
            lines.append(
                f'    {{\n      "enclosure": {quote(e.enclosure)},\n'
                f'      "guid": {quote(e.guid)},\n'
                f'      "published": {quote(e.published)},\n      "slug": {quote(e.slug)}\n    }}'
            )
        head = {"feed_url": self.feed_url, "podcast_guid": self.podcast_guid, "version": VERSION}
        parts = ["{", '  "episodes": [', ",\n".join(lines), "  ],"]
        parts += [f"  {quote(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
        parts[-1] = parts[-1][:-1]
        return "\n".join(parts) + "\n}\n"

    def _to_json_slow(self) -> str:
        data: dict[str, Any] = {
            "version": VERSION,
            "podcast_guid": self.podcast_guid,
            "feed_url": self.feed_url,
            "episodes": [asdict(e) for e in sorted(self.episodes)],
        }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Candidate:
    """An episode this build is about to publish."""

    record: Published
    manifest: str  # path of episode.yaml, for messages
    audio_field: str = "audio"


def read_state(path: Path, shown: str | None = None) -> State:
    """Read a state file. Raises BuildError when it exists but cannot be used."""
    shown = shown or str(path)
    try:
        raw = read_input(path, STATE)  # anywhere (it comes from the published site), but checked
    except Refused as exc:
        said = "is missing" if exc.missing else exc.message
        raise BuildError(f"the state file {shown} {said}") from None
    try:
        text = raw.decode("utf-8")
        try:
            data = json.loads(text)
        except RecursionError:
            where = json_too_deep(text)
            at = f" from line {where[0]}, column {where[1]}" if where else ""
            raise ValueError(
                f"it is nested too deeply: arrays and objects more than {MAX_JSON_DEPTH} levels"
                f" inside each other{at}"
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("episodes"), list):
            raise ValueError('expected {"episodes": [...]}')
        episodes = []
        for entry in data["episodes"]:
            if not isinstance(entry, dict) or not all(
                isinstance(entry.get(k), str) for k in ("guid", "enclosure", "slug")
            ):
                raise ValueError("every episode needs guid, enclosure and slug")
            episodes.append(
                Published(
                    slug=entry["slug"],
                    guid=entry["guid"],
                    enclosure=entry["enclosure"],
                    published=str(entry.get("published") or ""),
                )
            )
        guid = data.get("podcast_guid")
        feed_url = data.get("feed_url")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BuildError(
            Message(
                f"the state file {shown} is not usable ({exc}); it records what earlier builds"
                " published. Restore it from the published site (and pass it with ",
                _STATE_OPTION,
                "), or delete it to skip the GUID and removal checks once",
            )
        ) from None
    return State(
        tuple(episodes),
        guid if isinstance(guid, str) else None,
        feed_url if isinstance(feed_url, str) else None,
        shown,
    )


def check_unique(candidates: Sequence[Candidate]) -> list[Problem]:
    """Duplicate enclosure URLs: Apple ignores an episode whose enclosure URL repeats.

    (Duplicate GUIDs and slugs are caught when the manifests are loaded.)
    """
    problems: list[Problem] = []
    seen: dict[str, Candidate] = {}
    for candidate in candidates:
        first = seen.setdefault(candidate.record.enclosure, candidate)
        if first is not candidate:
            problems.append(
                Problem(
                    candidate.manifest,
                    field=candidate.audio_field,
                    message=f"duplicate enclosure URL {candidate.record.enclosure!r}, also used by"
                    f" {first.manifest}; every episode needs its own audio URL",
                )
            )
    return problems


def compare(
    previous: Iterable[State],
    candidates: Sequence[Candidate],
    *,
    episodes_dir: str,
    feed_url: str = "",
    drafts: Iterable[str] = (),
    podcast_guid: str | None = None,
    show_manifest: str = "",
    allow_removal: bool = False,
    allow_guid_change: bool = False,
    locate: Any = None,
) -> tuple[list[Problem], list[str]]:
    """Compare this build with earlier ones: (problems, warnings).

    `locate(manifest, field)` returns (line, column) of a field in a manifest, or (None, None).
    Problems are what the flags did not allow; warnings record what they did allow.

    When the feed itself moved (`feed_url` differs from the state's: a new base_url, or
    --base-url for a preview or staging host), enclosures under the feed's folder are compared
    by their path below it, so the move is one warning rather than an error per episode.
    """
    locate = locate or (lambda _manifest, _field: (None, None))
    problems: list[Problem] = []
    warnings: list[str] = []
    by_guid = {c.record.guid: c for c in candidates}
    by_slug = {c.record.slug: c for c in candidates}
    draft_slugs = set(drafts)

    def problem(manifest: str, field: str, message: str) -> None:
        line, column = locate(manifest, field)
        problems.append(Problem(manifest, line, column, field, message))

    for state in previous:
        moved = bool(state.feed_url and feed_url and state.feed_url != feed_url)
        if moved:
            warnings.append(
                f"the feed moved from {state.feed_url} (in {state.source}) to {feed_url}; every"
                " enclosure URL under it moved too, and apps without GUID support download those"
                " episodes again. Keep the old feed redirecting to the new one, or set"
                " new_feed_url in it"
            )
        old_base = _folder(state.feed_url) if moved else ""
        new_base = _folder(feed_url) if moved else ""
        if podcast_guid and state.podcast_guid and state.podcast_guid != podcast_guid:
            text = f"changed from {state.podcast_guid!r} (in {state.source}) to {podcast_guid!r}"
            if allow_guid_change:
                warnings.append(
                    Message(
                        f"{show_manifest}: podcast_guid {text}; accepted (", _ALLOW_GUID_CHANGE, ")"
                    )
                )
            else:
                problem(
                    show_manifest,
                    "podcast_guid",
                    Message(
                        f"{text}; podcast:guid identifies the show for good, even after a move."
                        f" Put back `podcast_guid: {state.podcast_guid}`, or pass ",
                        _ALLOW_GUID_CHANGE,
                    ),
                )
        for old in state.episodes:
            now = by_guid.get(old.guid)
            if now is None:
                same_slug = by_slug.get(old.slug)
                if same_slug is not None:
                    text = (
                        f"changed from {old.guid!r} (published in {state.source}) to"
                        f" {same_slug.record.guid!r}"
                    )
                    if allow_guid_change:
                        warnings.append(
                            Message(
                                f"{same_slug.manifest}: guid {text}; accepted (",
                                _ALLOW_GUID_CHANGE,
                                ")",
                            )
                        )
                    else:
                        problem(
                            same_slug.manifest,
                            "guid",
                            Message(
                                f"{text}; podcast apps would list the episode again as new and"
                                f" download it again. Put back `guid: {old.guid}`, or pass ",
                                _ALLOW_GUID_CHANGE,
                            ),
                        )
                    continue
                manifest = f"{episodes_dir}/{old.slug}/episode.yaml"
                why = (
                    "is now a draft (draft: true)"
                    if old.slug in draft_slugs
                    else "is not in this build (its folder or manifest is gone)"
                )
                text = (
                    f"published episode {old.slug!r} (guid {old.guid!r}, published"
                    f" {old.published or 'unknown'}, in {state.source}) {why}"
                )
                if allow_removal:
                    warnings.append(
                        Message(f"{manifest}: {text}; removed from the feed (", _ALLOW_REMOVAL, ")")
                    )
                else:
                    problems.append(
                        Problem(
                            manifest,
                            message=Message(
                                f"{text}; podcast apps and directories would delete it. Restore"
                                " it, or pass ",
                                _ALLOW_REMOVAL,
                                " to remove it",
                            ),
                        )
                    )
                continue
            if _below(now.record.enclosure, new_base) != _below(old.enclosure, old_base):
                text = (
                    f"enclosure URL changed from {old.enclosure!r} (published in {state.source})"
                    f" to {now.record.enclosure!r}"
                )
                if allow_guid_change:
                    warnings.append(
                        Message(f"{now.manifest}: {text}; accepted (", _ALLOW_GUID_CHANGE, ")")
                    )
                else:
                    problem(
                        now.manifest,
                        now.audio_field,
                        Message(
                            f"{text}; apps that identify episodes by it would download the episode"
                            " again. Keep the old folder name and audio file name, or pass ",
                            _ALLOW_GUID_CHANGE,
                        ),
                    )
    return problems, list(dict.fromkeys(warnings))


def _folder(url: str | None) -> str:
    """The folder part of a feed URL: https://x.org/show/feed.xml -> https://x.org/show/."""
    return (url or "").rsplit("/", 1)[0] + "/"


def _below(url: str, base: str) -> str:
    """`url` relative to `base` when it lies below it (a file of the build), else `url`."""
    return url[len(base) :] if base and url.startswith(base) else url
