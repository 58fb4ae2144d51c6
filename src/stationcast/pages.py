"""HTML pages: one accessible transcript page per episode and the show's index page.

Jinja2, sandboxed (see stationcast.sandbox: a show's templates are untrusted too), with
autoescaping on and StrictUndefined: manifests and transcripts are untrusted, so
every value is escaped for its context, and a template that names a missing value fails the
build instead of printing nothing. Every URL that becomes a link goes through `safe_url`, so a
`javascript:` (or any other script-capable) URL is never rendered as a link, whatever a model
let through.

A show may override any template by putting a file of the same name in `templates/` beside its
show.yaml; the built-in templates stay reachable as `stationcast/<name>`, so an override can
extend the original and replace one block. docs/pages.md lists the templates, their blocks and
the variables each one gets.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from markupsafe import Markup

from stationcast.errors import BuildError
from stationcast.models import Show, Station
from stationcast.models.values import zone_of
from stationcast.sandbox import BUILTIN, TemplateEnvironment, render_page, show_templates
from stationcast.sandbox.files import TEMPLATE_NAMES as TEMPLATE_NAMES  # (its home; re-exported)
from stationcast.spec.media import type_name

#: Prefix under which the built-in templates stay reachable when a show overrides them.
BUILTIN_PREFIX = BUILTIN

# Scripts written right to left; a page or transcript in one of these languages gets dir="rtl".
_RTL_LANGUAGES = frozenset(
    {
        "ar",
        "arc",
        "ckb",
        "dv",
        "fa",
        "he",
        "iw",
        "khw",
        "ks",
        "ps",
        "prs",
        "sd",
        "syr",
        "ug",
        "ur",
        "yi",
    }
)
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def make_environment(overrides: Path | None = None) -> TemplateEnvironment:
    """The sandboxed environment of one build, looking in `overrides` (the show's `templates/`
    folder) first when it exists. BuildError when `overrides` is not a folder or leads out of
    the show."""
    builtin = jinja2.PackageLoader("stationcast", "templates")
    loaders: list[jinja2.BaseLoader] = []
    own = show_templates(overrides) if overrides is not None else None
    if own is not None:
        loaders.append(own)
    loaders.append(builtin)
    loaders.append(jinja2.PrefixLoader({BUILTIN_PREFIX: builtin}))
    filters = {"tel": tel_href, "safe_url": safe_url}
    return TemplateEnvironment(jinja2.ChoiceLoader(loaders), filters=filters)


@functools.lru_cache(maxsize=256, typed=True)
def tel_href(phone: str) -> str:
    """A `tel:` target: digits and a leading plus only (919.445.9150 -> +19194459150 for US).

    Empty when the text holds fewer than three digits: the template then prints it unlinked.
    """
    digits = re.sub(r"[^0-9+]", "", phone)
    digits = digits[:1] + digits[1:].replace("+", "")
    if not digits.startswith("+") and len(digits) == 10:
        digits = "+1" + digits  # North American numbering plan, as stations print them
    return digits if sum(ch.isdigit() for ch in digits) >= 3 else ""


# What a browser ignores inside a URL before it reads the scheme (WHATWG URL parser: leading
# and trailing C0 controls and spaces, and every tab and newline anywhere), so that
# "jav\tascript:" cannot pass for a relative URL.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_EDGES = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


@functools.lru_cache(
    maxsize=4096, typed=True
)  # a page asks about the same few URLs as every other page
def safe_url(url: str | None) -> str:
    """`url` when it is safe as a link target, else "" (the templates then print no link).

    Safe: http, https, mailto and tel URLs, and relative references (`audio.mp3`, `../`,
    `#t12-3`). Everything else, javascript:, data:, vbscript: and unknown schemes included,
    gives "".
    """
    if not url:
        return ""
    probe = _URL_IGNORED.sub("", _URL_EDGES.sub("", url))
    if _CONTROL.search(probe):
        return ""
    scheme = _SCHEME.match(probe)
    if scheme is not None:
        return url if scheme.group(1).lower() in SAFE_SCHEMES else ""
    # No scheme: a relative reference, unless the browser would still read one (":" before
    # any "/", "?" or "#" is a scheme to it even when our pattern disagrees).
    head = re.split(r"[/?#]", probe, maxsplit=1)[0]
    return "" if ":" in head else url


def text_direction(lang: str) -> str:
    """`rtl` for languages written right to left (ar, he, fa, ur...), else `ltr`."""
    return "rtl" if lang.split("-")[0].lower() in _RTL_LANGUAGES else "ltr"


def valid_lang(value: str | None, fallback: str) -> str:
    """`value` when it looks like a BCP 47 tag (so lang="..." stays valid), else `fallback`."""
    if value and _LANG_TAG.fullmatch(value):
        return value.lower()
    return fallback


_LANGUAGE_NAMES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


def caption_label(lang: str) -> str:
    """The label a player shows for a captions track: `English captions`, `Captions (xx)`."""
    name = _LANGUAGE_NAMES.get(lang.split("-")[0].lower())
    return f"{name} captions" if name else f"Captions ({lang})"


def format_date(value: datetime, zone: str | None = None) -> str:
    """`September 22, 2015`: the form US stations print, independent of the locale; the day
    as the station's clock (`zone`, station.timezone) shows it, when it has one."""
    if zone:
        value = value.astimezone(zone_of(zone))
    months = (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    )  # fmt: skip
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


def duration_iso(seconds: float | None) -> str:
    """`PT6M12S`, the machine-readable duration for <time datetime>; empty when unknown."""
    if seconds is None:
        return ""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


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


class TurnView(NamedTuple):
    """One turn of the transcript as the page shows it.

    `speaker` is the person's name ("" when nobody is known); `paragraphs` are lists of
    (kind, text) runs, kind "speech" or "nonspeech"; `kind` is "nonspeech" for a turn that is a
    cue on its own, such as (SOUNDBITE OF MUSIC); `anchor` and `time` are set when the source
    has timings. (A named tuple: a page has dozens and they are made for every page.)
    """

    speaker: str
    paragraphs: Sequence[Sequence[tuple[str, str]]]
    anchor: str = ""
    time: dict[str, str] | None = None
    kind: str = "speech"


def turns_html(turns: Sequence[TurnView], audio_href: str) -> Markup:
    """The transcript's turns as HTML: what the default episode.html shows inside its
    `<div class="turns">`.

    Written in Python rather than as a template loop because it is most of every page and the
    loop was most of the time a page took (a 3,000-word transcript is ~50 turns and ~2,000
    template steps). Every text is escaped and the audio link goes through `safe_url`, as in
    the templates; tests/pages check the result against the same markup written as a template.
    """
    media = safe_url(audio_href).split("#")[0]
    out: list[str] = []
    add = out.append
    for turn in turns:
        add('<div class="turn nonspeech"' if turn.kind == "nonspeech" else '<div class="turn"')
        if turn.anchor:
            add(f' id="{_esc(turn.anchor)}"')
        add(">\n")
        if turn.speaker:
            add(f'<cite class="speaker"><bdi>{_esc(turn.speaker)}</bdi>:</cite>\n')
        if turn.time:
            if media:
                seconds = _iso_seconds(turn.time["datetime"])
                href = f"{_esc(media)}#t={seconds}"
            else:
                href = f"#{_esc(turn.anchor)}"
            add(
                f'<a class="time" href="{href}"><span class="visually-hidden">Listen from </span>'
                f'<time datetime="{_esc(turn.time["datetime"])}">'
                f"{_esc(turn.time['text'])}</time></a>\n"
            )
        for para in turn.paragraphs:
            add('<p dir="auto">')
            for kind, text in para:
                if kind == "nonspeech":
                    add(f'<span class="cue" dir="auto">{_esc(text)}</span>')
                else:
                    add(_esc(text))
            add("</p>\n")
        add("</div>\n")
    return Markup("".join(out))


def episodes_html(episodes: Sequence[Mapping[str, str]]) -> Markup:
    """The show page's episode list as HTML: what the default show.html prints inside its
    `<ul class="episodes">` (in Python for the same reason as `turns_html`: an archive lists
    thousands of episodes)."""
    out: list[str] = []
    add = out.append
    for item in episodes:
        add(
            f'<li>\n<h3 dir="auto"><a href="{_esc(safe_url(item["href"]))}">'
            f"{_esc(item['title'])}</a></h3>\n"
            f'<p class="meta"><time datetime="{_esc(item["datetime"])}">'
            f"{_esc(item['date_text'])}</time>"
        )
        if item["duration_text"]:
            add(
                '<span aria-hidden="true"> · </span><span class="visually-hidden">, </span>'
                f'<time datetime="{_esc(item["duration_iso"])}">'
                f"{_esc(item['duration_text'])}</time>"
            )
        add(f'</p>\n<p dir="auto">{_esc(item["summary"])}</p>\n</li>\n')
    return Markup("".join(out))


_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"), ("'", "&#39;"))


def _esc(text: str) -> str:
    """What markupsafe.escape gives, as a plain str (about twice as fast on text with few of
    the five characters, which is all transcript text)."""
    for char, entity in _ESCAPES:
        if char in text:
            text = text.replace(char, entity)
    return text


def _iso_seconds(iso: str) -> int:
    """`PT1H2M3S` (as format_timestamp writes it) -> 3723."""
    hours, minutes, seconds = iso[2:-1].replace("H", ":").replace("M", ":").split(":")
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds)


@dataclass(frozen=True)
class LinkView:
    href: str
    type: str
    label: str


def render_episode_page(
    env: TemplateEnvironment,
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
    credits: Sequence[Mapping[str, str]],
    turns: Sequence[TurnView],
    transcript_credit: str,
    tracks: Sequence[Mapping[str, str]],
    format_links: Sequence[LinkView],
    transcript_lang: str | None = None,
    in_station: bool = False,
) -> str:
    lang = valid_lang(show.language, "en")
    tlang = valid_lang(transcript_lang, lang)
    return _render(
        env,
        "episode.html",
        lang=lang,
        dir=text_direction(lang),
        root="../",
        show=show,
        station=station,
        station_page=station_page(station, in_station, "../"),
        episode=episode,
        page_url=page_url,
        feed_url=feed_url,
        date_text=format_date(episode.published, station.timezone),
        show_summary=not _opens_with(turns, episode.summary),
        duration_text=format_duration(duration),
        duration_iso=duration_iso(duration),
        audio_href=audio_href,
        audio_type=audio_type,
        audio_type_label=_type_label(audio_type),
        size_text=format_size(audio_size),
        credits=credits,
        turns=turns,
        turns_html=turns_html(turns, audio_href),
        transcript_lang=tlang,
        transcript_dir=text_direction(tlang),
        transcript_credit=transcript_credit,
        tracks=tracks,
        format_links=format_links,
    )


def station_page(station: Station, in_station: bool, root: str) -> str:
    """Where the header's station name links: the station's `podcasts` page, else, for a
    show of a station folder, the station page its build writes one folder up (relative, so it
    works opened from disk and wherever the station is published), else nowhere ("")."""
    if station.podcasts:
        return str(station.podcasts)
    return f"{root}../index.html" if in_station else ""


def render_show_page(
    env: TemplateEnvironment,
    *,
    show: Show,
    page_url: str,
    feed_url: str,
    artwork_href: str,
    episodes: Sequence[Mapping[str, str]],
    in_station: bool = False,
) -> str:
    lang = valid_lang(show.language, "en")
    return _render(
        env,
        "show.html",
        lang=lang,
        dir=text_direction(lang),
        root="",
        show=show,
        station=show.station,
        station_page=station_page(show.station, in_station, ""),
        page_url=page_url,
        feed_url=feed_url,
        artwork_href=artwork_href,
        artwork_alt=f"Artwork for {show.title}",
        subscribe=list(show.subscribe.items()),
        episodes=episodes,
        episodes_html=episodes_html(episodes),
    )


def render_station_page(
    env: TemplateEnvironment,
    *,
    station: Any,
    shows: Sequence[Any],
    page_url: str,
    publisher_url: str,
    logo: str | None,
) -> str:
    """The station's page (a station folder's output root): every show, and the station."""
    lang = valid_lang(station.language, "en")
    return _render(
        env,
        "station.html",
        lang=lang,
        dir=text_direction(lang),
        root="",
        show={"title": station.name, "copyright": ""},
        station=station,
        page_url=page_url,
        feed_url=publisher_url,
        logo=logo,
        shows=shows,
    )


def render_stylesheet(env: TemplateEnvironment) -> str:
    """style.css as written (the show's own when it has one): copied, not rendered."""
    loader = env.loader
    assert loader is not None
    try:
        source, _, _ = loader.get_source(env, "style.css")
    except jinja2.TemplateNotFound:  # pragma: no cover - the package always ships one
        raise BuildError("style.css: template not found") from None
    return source


def _render(env: TemplateEnvironment, name: str, **context: Any) -> str:
    return render_page(env, name, context)


def _opens_with(turns: Sequence[TurnView], summary: str) -> bool:
    """True when the transcript starts with the summary (stations often reuse the host's intro)."""
    if not turns or not turns[0].paragraphs:
        return False
    first = "".join(text for _, text in turns[0].paragraphs[0])
    return " ".join(first.split()).startswith(" ".join(summary.split()))


def _type_label(mime: str) -> str:
    return type_name(mime) or mime
