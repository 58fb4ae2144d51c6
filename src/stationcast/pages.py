"""HTML pages: one accessible transcript page per episode and the show's index page.

Jinja2 with autoescaping on and StrictUndefined: manifests and transcripts are untrusted, so
every value is escaped for its context, and a template that names a missing value fails the
build instead of printing nothing. A show may override any template by putting a file of
the same name in `templates/` beside its show.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

from stationcast.models import Show, Station

TEMPLATE_NAMES = ("base.html", "episode.html", "show.html", "style.css")


def make_environment(overrides: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment, looking in `overrides` first when it exists."""
    loaders: list[jinja2.BaseLoader] = []
    if overrides is not None and overrides.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(overrides)))
    loaders.append(jinja2.PackageLoader("stationcast", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["tel"] = tel_href
    return env


def tel_href(phone: str) -> str:
    """A `tel:` target: digits and a leading plus only (919.445.9150 -> +19194459150 for US)."""
    digits = re.sub(r"[^0-9+]", "", phone)
    if not digits.startswith("+") and len(digits) == 10:
        digits = "+1" + digits  # North American numbering plan, as stations print them
    return digits


def format_date(value: datetime) -> str:
    """`September 22, 2015`: the form US stations print, independent of the locale."""
    months = (
        "January February March April May June July August September October November December"
    ).split()
    return f"{months[value.month - 1]} {value.day}, {value.year}"


def format_duration(seconds: float | None) -> str:
    """`6 min 12 sec` for people; empty when unknown."""
    if seconds is None:
        return ""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hr")
    if minutes or hours:
        parts.append(f"{minutes} min")
    parts.append(f"{secs} sec")
    return " ".join(parts)


def format_size(size: int | None) -> str:
    if not size:
        return ""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} kB"


def format_timestamp(seconds: float) -> tuple[str, str]:
    """(`1:02:03` for people, `PT1H2M3S` for <time datetime>)."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return text, f"PT{hours}H{minutes}M{secs}S"


@dataclass(frozen=True)
class TurnView:
    speaker: str
    paragraphs: Sequence[Sequence[tuple[str, str]]]  # each paragraph: (kind, text) runs
    anchor: str = ""
    time: dict[str, str] | None = None


@dataclass(frozen=True)
class LinkView:
    href: str
    type: str
    label: str


def render_episode_page(
    env: jinja2.Environment,
    *,
    show: Show,
    station: Station,
    episode: Any,
    page_url: str,
    feed_url: str,
    audio_href: str,
    audio_type: str,
    audio_size: int | None,
    duration: float | None,
    credits: Sequence[dict[str, str]],
    turns: Sequence[TurnView],
    transcript_credit: str,
    tracks: Sequence[dict[str, str]],
    format_links: Sequence[LinkView],
) -> str:
    return env.get_template("episode.html").render(
        lang=show.language,
        root="../",
        show=show,
        station=station,
        episode=episode,
        page_url=page_url,
        feed_url=feed_url,
        date_text=format_date(episode.published),
        show_summary=not _opens_with(turns, episode.summary),
        duration_text=format_duration(duration),
        audio_href=audio_href,
        audio_type_label=_type_label(audio_type),
        size_text=format_size(audio_size),
        credits=credits,
        turns=turns,
        transcript_credit=transcript_credit,
        tracks=tracks,
        format_links=format_links,
    )


def render_show_page(
    env: jinja2.Environment,
    *,
    show: Show,
    page_url: str,
    feed_url: str,
    artwork_href: str,
    episodes: Sequence[dict[str, str]],
) -> str:
    return env.get_template("show.html").render(
        lang=show.language,
        root="",
        show=show,
        station=show.station,
        page_url=page_url,
        feed_url=feed_url,
        artwork_href=artwork_href,
        episodes=episodes,
    )


def render_stylesheet(env: jinja2.Environment) -> str:
    loader = env.loader
    assert loader is not None
    source, _, _ = loader.get_source(env, "style.css")
    return source


def _opens_with(turns: Sequence[TurnView], summary: str) -> bool:
    """True when the transcript starts with the summary (stations often reuse the host's intro)."""
    if not turns or not turns[0].paragraphs:
        return False
    first = "".join(text for _, text in turns[0].paragraphs[0])
    return " ".join(first.split()).startswith(" ".join(summary.split()))


_TYPE_LABELS = {
    "audio/mpeg": "MP3",
    "audio/x-m4a": "M4A",
    "audio/mp4": "M4A",
    "audio/ogg": "Ogg",
    "audio/opus": "Opus",
    "audio/flac": "FLAC",
    "audio/wav": "WAV",
    "video/mp4": "MP4 video",
    "video/x-m4v": "M4V video",
}


def _type_label(mime: str) -> str:
    return _TYPE_LABELS.get(mime.split(";")[0], mime)
