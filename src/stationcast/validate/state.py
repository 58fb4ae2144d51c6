"""Compare the feed with the previous build's state: GUIDs never change, episodes never vanish.

The state file is JSON: {"episodes": [{"guid", "enclosure", "slug", "published"}, …]} and
optionally "podcast_guid". Unknown keys are ignored.
"""

from __future__ import annotations

import json
from pathlib import Path

from stationcast.inputs import STATE, Refused, read_input
from stationcast.inputs import STATE_DIR as STATE_DIR
from stationcast.inputs import STATE_FILE as STATE_FILE
from stationcast.spec.analytics import strip_prefixes, without_scheme

from .elements import Resources
from .text import quote

Raw = tuple[str, str, int | None, str | None]


def is_stationcast_output(folder: Path) -> bool:
    """Whether `folder` is the output of a stationcast build (it holds the state file): a
    feed file there maps its URLs to the files beside it."""
    return (folder / STATE_FILE).is_file()


def _media(url: str) -> str:
    """What an enclosure URL is compared by: the media URL behind any known prefix analytics
    services (adding, changing or dropping a prefix changes no episode), without its scheme
    (a chain drops it)."""
    return without_scheme(strip_prefixes(url)[0])


def check_state(res: Resources, path: Path) -> list[Raw]:
    try:
        # (type-checked and capped before a byte is read: a FIFO is refused, never opened
        # blocking; a file over STATE's cap is refused by its size)
        raw = read_input(path, STATE)
        doc = json.loads(raw.decode("utf-8"))
        episodes = doc.get("episodes", []) if isinstance(doc, dict) else None
        if not isinstance(episodes, list):
            raise ValueError('expected {"episodes": [...]}')
    except Refused as e:
        return [("state.unreadable", f"{quote(str(path))}: {quote(e.message, 120)}", None, None)]
    except RecursionError:
        message = "JSON nested too deeply"
        return [("state.unreadable", f"{quote(str(path))}: {message}", None, None)]
    except (OSError, ValueError, UnicodeDecodeError) as e:
        return [("state.unreadable", f"{quote(str(path))}: {quote(str(e), 120)}", None, None)]

    by_guid: dict[str, tuple[str | None, int | None]] = {}
    by_enclosure: dict[str, tuple[str | None, int | None]] = {}
    for guid, enc, line in res.items:
        if guid is not None:
            by_guid.setdefault(guid, (enc, line))
        if enc is not None:
            by_enclosure.setdefault(_media(enc), (guid, line))

    out: list[Raw] = []
    for ep in episodes:
        if not isinstance(ep, dict):
            continue
        guid = ep.get("guid")
        enc = ep.get("enclosure")
        name = ep.get("slug") or guid or enc
        if not isinstance(guid, str):
            continue
        if guid in by_guid:
            now_enc, line = by_guid[guid]
            if isinstance(enc, str) and now_enc is not None and _media(now_enc) != _media(enc):
                out.append(
                    (
                        "state.enclosure.changed",
                        f"episode {quote(name)}: enclosure URL was "
                        f"{quote(enc)}, now {quote(now_enc)}",
                        line,
                        "enclosure",
                    )
                )
            continue
        if isinstance(enc, str) and _media(enc) in by_enclosure:
            new_guid, line = by_enclosure[_media(enc)]
            out.append(
                (
                    "state.guid.changed",
                    f"episode {quote(name)}: GUID was {quote(guid)}, now {quote(new_guid)}",
                    line,
                    "guid",
                )
            )
        else:
            out.append(
                (
                    "state.episode.vanished",
                    f"published episode {quote(name)} (GUID {quote(guid)}) is not in the feed",
                    None,
                    None,
                )
            )
    old = doc.get("podcast_guid") if isinstance(doc, dict) else None
    if isinstance(old, str) and old and res.podcast_guid is not None and res.podcast_guid != old:
        out.append(
            (
                "state.podcast-guid.changed",
                f"<podcast:guid> was {quote(old)}, now {quote(res.podcast_guid)}",
                None,
                "podcast:guid",
            )
        )
    return out
