"""Manifests that look valid but would make a feed the build's validation gate refuses: each is
an error at the manifest field that causes it (`file:line:col: field: message`), found before
anything is rendered, never a `feed.xml:N: rule` error after the feed was written.

Each row of GATE_CASES names the rule of `stationcast validate` the feed would have broken.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image

from stationcast.errors import Problem
from stationcast.manifest import Scheduled, load_episode, load_show_model
from stationcast.models import LoadedEpisode
from support import EXAMPLE_SLUG, REPO, add_episode, tree_digest

EPISODE = f"episodes/{EXAMPLE_SLUG}/episode.yaml"
SHOW = "episodes/show.yaml"
AUDIO_DATA = REPO / "tests" / "data" / "audio"
SUMMARY = "error: 1 problem in 1 file; nothing was written to feeds/"
MAIN_AUDIO = (
    "which Apple Podcasts does not take as an episode's audio; the audio (the feed's main"
    " enclosure) may be MP3, M4A (AAC), or MP4, M4V or MOV video: give such a file as `audio:`"
    " and offer this one under `alternates:`"
)


@pytest.fixture
def built(show: Path, run: Callable[..., Result], tmp_path: Path) -> dict[str, str]:
    """A good build in feeds/, which every failing build below must leave as it is."""
    assert run("build").exit_code == 0
    return tree_digest(tmp_path / "feeds")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _episode(show: Path, old: str, new: str) -> None:
    _edit(show / EXAMPLE_SLUG / "episode.yaml", old, new)


def _show(show: Path, old: str, new: str) -> None:
    _edit(show / "show.yaml", old, new)


def _png_artwork(show: Path, mode: str, name: str = "artwork.png") -> None:
    """The example artwork saved as a PNG in Pillow colour mode `mode`, as the show's artwork."""
    with Image.open(show / "artwork.jpg") as image:
        rgb = image.convert("RGB")
    converted = (
        rgb.convert(mode, palette=Image.Palette.ADAPTIVE) if mode == "P" else rgb.convert(mode)
    )
    converted.save(show / name, "PNG")
    _show(show, "artwork: artwork.jpg", f"artwork: {name}")


def _palette_episode_image(show: Path) -> None:
    with Image.open(show / "artwork.jpg") as image:
        image.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE).save(
            show / EXAMPLE_SLUG / "cover.png", "PNG"
        )
    _episode(show, "audio: audio.mp3\n", "audio: audio.mp3\nimage: cover.png\n")


def _audio(show: Path, fixture: str, name: str) -> None:
    """A fixture from tests/data/audio as the example episode's audio, named `name`."""
    folder = show / EXAMPLE_SLUG
    (folder / "audio.mp3").unlink()
    shutil.copyfile(AUDIO_DATA / fixture, folder / name)
    if name != "audio.mp3":
        _episode(show, "audio: audio.mp3", f"audio: {name}")


def _remote(show: Path, url: str, mime: str) -> None:
    _episode(show, "audio: audio.mp3", f"audio: {{url: {url}, type: {mime}, length: 1234567}}")


def _long_description(show: Path) -> None:
    _show(show, "description: >-\n", "description: >-\n  " + "Stories. " * 450 + "\n")


def _long_credit(show: Path) -> None:
    _episode(show, "  - name: Kelly McEvers\n", "  - name: " + "K" * 129 + "\n")


FEED = "podcast:"  # rules whose failure the feed writer raised before the gate ("cannot write")

# (id, the validator's rule the feed would break, what to do to the show, first line of stderr)
GATE_CASES: list[tuple[str, str, Callable[[Path], None], str]] = [
    (
        "palette (indexed-colour) PNG artwork",
        "apple.image.colorspace",
        lambda show: _png_artwork(show, "P"),
        f"{SHOW}:13:10: artwork: artwork.png: is an indexed-colour (palette) image; Apple"
        " Podcasts takes artwork in the RGB colour space only: save it as an RGB (truecolour) PNG"
        " or as a JPEG",
    ),
    (
        "PNG artwork with an alpha channel",
        "apple.image.colorspace",
        lambda show: _png_artwork(show, "RGBA"),
        f"{SHOW}:13:10: artwork: artwork.png: has an alpha channel (transparency, RGBA colour"
        " mode); Apple Podcasts takes artwork without one: save it as RGB without transparency"
        " (or as a JPEG)",
    ),
    (
        "palette PNG as the episode image",
        "apple.image.colorspace",
        _palette_episode_image,
        f"{EPISODE}:14:8: image.file: episodes/{EXAMPLE_SLUG}/cover.png: is an indexed-colour"
        " (palette) image; Apple Podcasts takes artwork in the RGB colour space only: save it as"
        " an RGB (truecolour) PNG or as a JPEG",
    ),
    *[
        (
            f"{label} file as the episode's audio",
            "apple.enclosure.type",
            lambda show, fixture=fixture, name=name: _audio(show, fixture, name),
            f"{EPISODE}:13:8: audio: episodes/{EXAMPLE_SLUG}/{name}: is {kind}, {MAIN_AUDIO}",
        )
        for label, fixture, name, kind in [
            ("Opus", "opus-48000-mono.opus", "audio.opus", "Ogg (audio/ogg)"),
            ("Ogg Vorbis", "vorbis-22050-mono.ogg", "audio.ogg", "Ogg (audio/ogg)"),
            ("FLAC", "flac-22050-mono.flac", "audio.flac", "FLAC (audio/flac)"),
            ("WAV", "pcm-8000-mono.wav", "audio.wav", "WAV (audio/wav)"),
        ]
    ],
    (
        "M4A bytes named .mp3",
        "apple.enclosure.extension",
        lambda show: _audio(show, "m4a-named.mp3", "audio.mp3"),
        f"{EPISODE}:13:8: audio: episodes/{EXAMPLE_SLUG}/audio.mp3: is M4A (audio/x-m4a) but its"
        " name ends in .mp3; Apple Podcasts plays an episode by its URL's extension: rename the"
        " file to audio.m4a",
    ),
    (
        "an audiobook's .m4b as the episode's audio",
        "apple.enclosure.extension",
        lambda show: _audio(show, "aac-44100-stereo.m4a", "audio.m4b"),
        f"{EPISODE}:13:8: audio: episodes/{EXAMPLE_SLUG}/audio.m4b: is M4A (audio/x-m4a) but its"
        " name ends in .m4b; Apple Podcasts plays an episode by its URL's extension: rename the"
        " file to audio.m4a",
    ),
    (
        "remote Ogg audio",
        "apple.enclosure.type",
        lambda show: _remote(show, "https://media.example.org/a.ogg", "audio/ogg"),
        f"{EPISODE}:13:53: audio.type: is Ogg (audio/ogg), {MAIN_AUDIO}",
    ),
    (
        "remote audio whose URL has another extension than its type",
        "apple.enclosure.extension",
        lambda show: _remote(show, "https://media.example.org/a.ogg", "audio/mpeg"),
        f"{EPISODE}:13:8: audio: the URL 'https://media.example.org/a.ogg' ends in .ogg, but the"
        " audio is MP3 (audio/mpeg); Apple Podcasts plays an episode by its URL's extension: give"
        " the URL of the .mp3 file, or the type of the file it names",
    ),
    (
        "remote audio whose URL has no extension",
        "apple.enclosure.extension",
        lambda show: _remote(show, "https://media.example.org/play/123", "audio/mpeg"),
        f"{EPISODE}:13:8: audio: the URL 'https://media.example.org/play/123' has no file"
        " extension, but the audio is MP3 (audio/mpeg); Apple Podcasts plays an episode by its"
        " URL's extension: give the URL of the .mp3 file, or the type of the file it names",
    ),
    (
        "remote audio URL with non-ASCII characters",
        "apple.url.ascii",
        lambda show: _remote(show, "https://media.example.org/müller.mp3", "audio/mpeg"),
        f"{EPISODE}:13:14: audio.url: 'https://media.example.org/müller.mp3' has characters other"
        " than ASCII; Apple Podcasts refuses audio and artwork URLs that are not plain ASCII:"
        " write it as 'https://media.example.org/m%C3%BCller.mp3'",
    ),
    (
        "base_url with a non-ASCII host and path",
        "apple.url.ascii",
        lambda show: _show(
            show,
            "base_url: https://podcasts.example.org/wunc/",
            "base_url: https://podcasts.exämple.org/wünc/",
        ),
        f"{SHOW}:10:11: base_url: 'https://podcasts.exämple.org/wünc/' has characters other than"
        " ASCII; Apple Podcasts refuses audio and artwork URLs that are not plain ASCII: write it"
        " as 'https://podcasts.xn--exmple-cua.org/w%C3%BCnc/'",
    ),
    (
        "a show description of more than 4,000 bytes",
        "apple.description.length",
        _long_description,
        f"{SHOW}:4:14: description: is 4,153 bytes long (UTF-8); Apple Podcasts takes a show"
        " description of at most 4,000 bytes: shorten it",
    ),
    (
        "a two-letter language code ISO 639-1 does not have",
        "rss.language.code",
        lambda show: _show(show, "language: en-us", "language: qq-us"),
        f"{SHOW}:7:11: language: 'qq' is not an ISO 639-1 language code; expected a language code"
        " like en or en-us",
    ),
    (
        "a credited name of 129 characters",
        FEED + "person",
        _long_credit,
        f"{EPISODE}:18:11: credits.0.name: is 129 characters; keep it to 128 or fewer (podcast"
        " apps truncate it)",
    ),
    (
        "an update frequency counting from no dtstart",
        FEED + "updateFrequency",
        lambda show: _show(
            show,
            "medium: podcast\n",
            'medium: podcast\nupdate_frequency: {text: Daily, rrule: "FREQ=DAILY;COUNT=5"}\n',
        ),
        f"{SHOW}:47:19: update_frequency.dtstart: required because the rrule 'FREQ=DAILY;COUNT=5'"
        " has COUNT (the count starts at dtstart); add a line `dtstart: ...` under"
        " update_frequency, like dtstart: 2024-01-01T17:00:00-05:00",
    ),
    (
        "a live program whose type is not a MIME type",
        FEED + "liveItem",
        lambda show: _show(
            show,
            "medium: podcast\n",
            "medium: podcast\nlive:\n  - {title: Live, guid: l1, start: 2030-01-01T10:00:00Z,"
            " stream: https://s.example.org/a.mp3, type: mp3}\n",
        ),
        f"{SHOW}:48:101: live.0.type: expected a MIME type like audio/mpeg, got 'mp3'",
    ),
    (
        "a remote alternate whose type is not a MIME type",
        FEED + "alternateEnclosure",
        lambda show: _episode(
            show,
            "audio: audio.mp3\n",
            "audio: audio.mp3\nalternates:\n  - {url: https://m.example.org/a.opus, type: opus,"
            " length: 100}\n",
        ),
        f"{EPISODE}:15:47: alternates.0.type: expected a MIME type like audio/mpeg, got 'opus'",
    ),
    (
        "a transcript language with an underscore",
        FEED + "transcript",
        lambda show: _episode(
            show, "  file: transcript.txt\n", "  file: transcript.txt\n  language: es_MX\n"
        ),
        f"{EPISODE}:16:13: transcript.language: expected a language code like en or es-MX (BCP"
        " 47, hyphen not underscore), got 'es_MX'",
    ),
]


@pytest.mark.parametrize(
    ("what", "rule", "setup", "expected"), GATE_CASES, ids=[c[0] for c in GATE_CASES]
)
def test_the_manifest_is_checked_before_the_gate(
    what: str,
    rule: str,
    setup: Callable[[Path], None],
    expected: str,
    show: Path,
    run: Callable[..., Result],
    tmp_path: Path,
    built: dict[str, str],
) -> None:
    """A value that would break a feed rule is reported at its manifest field; feeds/ stays."""
    setup(show)
    result = run("build")
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "feed.xml" not in result.stderr, f"{rule} reached the feed: {result.stderr}"
    assert result.stderr.splitlines()[0] == expected, result.stderr
    assert result.stderr.rstrip().splitlines()[-1] == SUMMARY
    assert tree_digest(tmp_path / "feeds") == built


# -- the future, to the second ---------------------------------------------------------------

PUBLISHED = datetime(2015, 9, 22, 21, 35, tzinfo=UTC)  # the example: 17:35 at -04:00


@pytest.mark.parametrize(
    ("now", "held"),
    [(PUBLISHED, False), (PUBLISHED - timedelta(seconds=1), True)],
    ids=["published now", "a second ahead"],
)
def test_an_episode_is_due_from_its_published_time(show: Path, now: datetime, held: bool) -> None:
    """Before its `published:` an episode is Scheduled (held back, not an error), from then on
    it is loaded; without a clock (`stationcast tag`) every episode is loaded."""
    problems: list[Problem] = []
    show_model = load_show_model(show, [])
    loaded = load_episode(show / EXAMPLE_SLUG, show, show_model, problems, now=now)
    assert problems == []
    assert isinstance(loaded, Scheduled) == held
    assert isinstance(loaded, LoadedEpisode) == (not held)
    if isinstance(loaded, Scheduled):
        assert (loaded.slug, loaded.due) == (EXAMPLE_SLUG, PUBLISHED)
    assert isinstance(load_episode(show / EXAMPLE_SLUG, show, show_model, []), LoadedEpisode)


def test_a_future_draft_is_not_an_error(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """`draft: true`, which the future-date message suggests, keeps the episode out quietly."""
    add_episode(show, "second")
    _episode(
        show,
        "published: 2015-09-22T17:35:00-04:00",
        "draft: true\npublished: 2999-01-01T00:00:00Z",
    )
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "feeds" / "second").is_dir()
    assert not (tmp_path / "feeds" / EXAMPLE_SLUG).exists()
