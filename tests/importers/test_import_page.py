"""`stationcast import page`: the seed page and station/NPR-style pages -> episode folders."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from stationcast.build import build_show
from stationcast.cli.import_ import import_command
from stationcast.cli.report import SHARED_OPTIONS
from stationcast.manifest import load_show
from support import EXAMPLE, EXAMPLE_SLUG, copy_example

from .helpers import DATA, manifest, stationcast_cli

CLI = stationcast_cli()

SEED = Path("/work/shared/seeds/000_1fe1131ae2569e04.txt")
SEED_COPY = DATA / "seed_wunc.txt"


def _run(*args: str) -> Result:
    """The real CLI (its error handling included): `stationcast import page ARGS`."""
    return CliRunner().invoke(CLI, ["import", "page", *args], catch_exceptions=False)


def _fill(manifest: Path, **values: str) -> None:
    """Do what the producer does: replace TODO fields, drop the TODO comments and the draft flag."""
    lines = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("# TODO(import)") or line == "draft: true":
            continue
        lines.append(line)
    text = "\n".join(lines) + "\n"
    # Continuation lines of a wrapped TODO comment.
    text = re.sub(r"(?m)^\s*# (?!Imported|Fields|Permanent|Written).*\n", "", text)
    for key, value in values.items():
        # The field left empty for the producer, else the first one of that name.
        line = rf"\g<1>{key}: {value}"
        text, count = re.subn(rf'(?m)^(\s*-? ?){key}: ""$', line, text, count=1)
        if not count:
            text, count = re.subn(rf"(?m)^(\s*-? ?){key}: .*$", line, text, count=1)
        assert count == 1, key
    manifest.write_text(text, encoding="utf-8")


def _transcript_section(html: str) -> str:
    return html[
        html.index('<section aria-labelledby="transcript-heading"') : html.index(
            '<section aria-labelledby="formats-heading"'
        )
    ]


def test_seed_page_builds_the_example_transcript_page(empty_show: Path, tmp_path: Path) -> None:
    """Seed page -> import -> fill guid, date, audio and the host's name -> build: the episode
    page is byte-identical to the hand-made example's, apart from the guest's job title the page
    does not give."""
    result = _run(str(SEED_COPY), "--episodes", str(empty_show), "--slug", EXAMPLE_SLUG)
    assert result.exit_code == 0, result.output
    folder = empty_show / EXAMPLE_SLUG
    assert (folder / "transcript.txt").read_bytes() == (
        EXAMPLE / EXAMPLE_SLUG / "transcript.txt"
    ).read_bytes()
    _fill(
        folder / "episode.yaml",
        guid="1f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909",
        published="2015-09-22T17:35:00-04:00",
        name='"Kelly McEvers"',
    )
    shutil.copy(EXAMPLE / EXAMPLE_SLUG / "audio.mp3", folder / "audio.mp3")
    build_show(empty_show, tmp_path / "feeds")
    # The hand-made example, built by the same code (the committed feeds/ may lag templates).
    copy_example(tmp_path / "example")
    build_show(tmp_path / "example", tmp_path / "example-feeds")
    built = (tmp_path / "feeds" / EXAMPLE_SLUG / "index.html").read_text(encoding="utf-8")
    golden = (tmp_path / "example-feeds" / EXAMPLE_SLUG / "index.html").read_text(encoding="utf-8")
    assert _transcript_section(built) == _transcript_section(golden)
    # The example credits Peter Neumann's job title, which the page does not state.
    assert built == re.sub(
        r'<span class="title">, (?:<bdi>)?Head of the International Centre[^<]*(?:</bdi>)?</span>',
        "",
        golden,
    )
    for name in ("transcript.txt", "audio.mp3"):
        assert (tmp_path / "feeds" / EXAMPLE_SLUG / name).read_bytes() == (
            tmp_path / "example-feeds" / EXAMPLE_SLUG / name
        ).read_bytes()


def test_seed_copy_is_the_seed() -> None:
    """The fixture is the shared seed page, unchanged (skipped when the shared folder is absent)."""
    if SEED.exists():
        assert SEED_COPY.read_bytes() == SEED.read_bytes()


def test_seed_page_credits_and_todos(empty_show: Path) -> None:
    """Host from the sign-off "That's Peter Neumann", guest's full name from the text; the
    host's full name, the date and the audio are TODOs the command lists."""
    result = _run(str(SEED_COPY), "--episodes", str(empty_show))
    assert result.exit_code == 0, result.output
    slug = "report-compiles-stories-of-islamic-state-defectors"
    data = manifest(empty_show / slug / "episode.yaml")
    assert data["draft"] is True
    assert data["title"] == "Report Compiles Stories Of Islamic State Defectors"
    assert data["summary"].startswith(
        "What happens when you leave the militant Islamist group ISIS?"
    )
    assert data["transcript"] == {
        "file": "transcript.txt",
        "credit": "Transcript provided by NPR, Copyright NPR.",
    }
    assert data["credits"] == [
        {"name": "", "role": "host", "speaker": "MCEVERS"},
        {"name": "Peter Neumann", "role": "guest", "speaker": ["PETER NEUMANN", "NEUMANN"]},
    ]
    assert data["published"] == ""
    stderr = result.stderr
    assert "3 fields to fill in (marked TODO(import)):" in stderr
    # (the line depends on how long the source path in the header comment is: found, not fixed)
    text = (empty_show / slug / "episode.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(text, 1) if row.startswith("published:"))
    assert f"{slug}/episode.yaml:{line}: published: the page gives no date" in stderr
    assert "audio: the page has no audio file" in stderr
    assert "name: the page has only the label MCEVERS" in stderr
    assert "note: MCEVERS is the host and PETER NEUMANN the guest" in stderr
    assert "differs:" not in stderr  # the page's station header matches the example show.yaml


def test_seed_page_starts_show_yaml(tmp_path: Path) -> None:
    """Without show.yaml, the station header fills one that load_show accepts, with TODO marks."""
    episodes = tmp_path / "episodes"
    result = _run(str(SEED_COPY), "--episodes", str(episodes))
    assert result.exit_code == 0, result.output
    text = (episodes / "show.yaml").read_text(encoding="utf-8")
    assert "# TODO(import): base_url:" in text
    data = yaml.safe_load(text)
    example = manifest(EXAMPLE / "show.yaml")["station"]
    assert data["station"] == {k: example[k] for k in ("name", "slogan", "address", "phones")}
    assert data["copyright"] == "© 2024 WUNC North Carolina Public Radio"
    loaded = load_show(episodes)  # the episode is a draft: skipped, listed
    assert loaded.show.station.phones == ["919.445.9150", "800.962.9862"]
    assert loaded.drafts == ("report-compiles-stories-of-islamic-state-defectors",)
    assert "note: " in result.stderr and "country: US, from the state and ZIP code" in result.stderr


def test_station_differences_are_reported(empty_show: Path) -> None:
    """A show.yaml whose station details differ from the page's is kept; each difference listed."""
    show = empty_show / "show.yaml"
    show.write_text(
        show.read_text()
        .replace("800.962.9862", "800.555.0100")
        .replace("Bringing The World Home To You", "Old slogan")
    )
    before = show.read_bytes()
    result = _run(str(SEED_COPY), "--episodes", str(empty_show))
    assert result.exit_code == 0
    assert show.read_bytes() == before
    assert (
        "differs: episodes/show.yaml: station.slogan: show.yaml has 'Old slogan',"
        " the page has 'Bringing The World Home To You'"
        in result.stderr.replace(str(empty_show.parent) + "/", "")
    )
    assert (
        "station.phones: show.yaml has ['919.445.9150', '800.555.0100'],"
        " the page has ['919.445.9150', '800.962.9862']" in result.stderr
    )


def test_station_html_page(tmp_path: Path) -> None:
    """A station's HTML story page: navigation, player, share bar, related stories and footer are
    not in the transcript; the footer fills the station; "Host Marisol Vega talked with" names the
    host, the closing "That's Tomás Echeverría" the guest; the clip's speaker stays open."""
    episodes = tmp_path / "episodes"
    result = _run(str(DATA / "station_story.html"), "--episodes", str(episodes))
    assert result.exit_code == 0, result.output
    folder = episodes / "whitefish-season-cut-short-fishers-say-they-ll-adapt"
    transcript = (folder / "transcript.txt").read_text(encoding="utf-8")
    for junk in (
        "Play Live Radio",
        "Next Up",
        "0:00",
        "Available On Air Stations",
        "More Stories",
        "Facebook",
        "Ferry service",
        "©",
        "Listen",
    ):
        assert junk not in transcript
    assert transcript.startswith("The state's Department of Natural Resources cut")
    assert "TOMÁS ECHEVERRÍA: Well, three weeks is — it's a lot of money." in transcript
    assert (
        "\n\nIt adds up fast, and the fish don't wait for the paperwork.\n\n" in transcript
    )  # the turn's second paragraph
    assert "\n\n(SOUNDBITE OF ARCHIVED RECORDING)\n\n" in transcript
    data = manifest(folder / "episode.yaml")
    assert data["published"] == "2024-03-14T16:20:00-04:00"
    assert data["credits"] == [
        {"name": "Marisol Vega", "role": "host", "speaker": "VEGA"},
        {
            "name": "Tomás Echeverría",
            "role": "guest",
            "speaker": ["TOMÁS ECHEVERRÍA", "ECHEVERRÍA"],
        },
        {"name": "Siobhán O'Connor", "role": "", "speaker": ["SIOBHÁN O'CONNOR", "O’CONNOR"]},
    ]
    assert (
        "audio: the page links the audio at https://ondemand.wklp.example/2024/03/14/whitefish.mp3"
        in result.stderr
    )
    assert "role: the page does not say what SIOBHÁN O'CONNOR is" in result.stderr
    show = load_show(episodes).show
    assert show.station.name == "WKLP Lakeshore Public Radio"
    assert show.station.slogan == "Your Voice on the Lakeshore"
    assert show.station.address is not None and show.station.address.lines() == [
        "2240 Harbor Rd.",
        "Port Alder, MI 49601",
    ]
    assert show.station.phones == ["231.555.0142", "800.555.0199"]
    assert show.language == "en-us"


def test_npr_transcript_page(tmp_path: Path) -> None:
    """NPR's transcript page: `NAME, HOST:` and `NAME, BYLINE:` first mentions give roles, surname
    labels join them, unidentified voices are not credited, the copyright and rush-transcript notice
    becomes the transcript credit, and npr.org's footer is not taken for a station."""
    episodes = tmp_path / "episodes"
    result = _run(str(DATA / "npr_transcript.html"), "--episodes", str(episodes))
    assert result.exit_code == 0, result.output
    folder = episodes / "tucson-s-night-markets-are-back-and-busier-than-ever"
    data = manifest(folder / "episode.yaml")
    assert data["published"] == "2023-11-02T17:12:00-04:00"
    assert data["summary"].startswith("After three quiet years")
    assert data["transcript"]["credit"].startswith("Copyright © 2023 NPR. All rights reserved.")
    assert "NPR transcripts are created on a rush deadline" in data["transcript"]["credit"]
    assert data["credits"] == [
        {"name": "June Okafor", "role": "host", "speaker": ["JUNE OKAFOR", "OKAFOR"]},
        {
            "name": "Dmitri Vasquez-Lehane",
            "role": "reporter",
            "speaker": ["DMITRI VASQUEZ-LEHANE", "VASQUEZ-LEHANE"],
        },
        {"name": "Zoë D'Ambrosio", "role": "", "speaker": ["ZOË D'AMBROSIO", "D'AMBROSIO"]},
    ]
    assert "UNIDENTIFIED PERSON #1 is not credited" in result.stderr
    assert (
        "summary: the transcript has no introduction; used the page's description" in result.stderr
    )
    show = manifest(episodes / "show.yaml")
    assert show["station"]["name"] == ""  # the page names no station: left for the producer


def test_saved_text_with_byline_date_and_wrapped_lines(empty_show: Path, tmp_path: Path) -> None:
    """Saved text: hard-wrapped lines join, a label without a blank line before it still starts a
    turn, the "Published ... ET" line gives the date (EST in February), names keep their
    combining accents and apostrophes; after filling the TODOs the episode builds with every
    label resolved."""
    result = _run(str(DATA / "station_story.txt"), "--episodes", str(empty_show))
    assert result.exit_code == 0, result.output
    slug = "ice-road-season-ends-early-on-lake-kessel"
    folder = empty_show / slug
    data = manifest(folder / "episode.yaml")
    assert data["published"] == "2024-02-02T07:05:00-05:00"
    assert [c["name"] for c in data["credits"]] == [
        "Marisol Vega",
        "Ngozi Adébáyọ̀-Whitfield",
        "Jean-Luc O'Malley-Nguyễn",
    ]
    assert data["credits"][2]["role"] == "guest"
    transcript = (folder / "transcript.txt").read_text(encoding="utf-8")
    assert (
        "It\nnever" not in transcript and "This year it never got past eight inches" in transcript
    )
    assert "\n\nVEGA: And eight inches isn't enough?\n\n" in transcript
    assert "More Stories" not in transcript and "Ferry Service" not in transcript
    assert "differs:" in result.stderr  # the example show.yaml is WUNC's, the page WKLP's
    assert (
        "station.name: show.yaml has 'WUNC North Carolina Public Radio',"
        " the page has 'WKLP Lakeshore Public Radio'" in result.stderr
    )
    _fill(folder / "episode.yaml", role="guest")
    shutil.copy(EXAMPLE / EXAMPLE_SLUG / "audio.mp3", folder / "audio.mp3")
    built = build_show(empty_show, tmp_path / "feeds")
    assert not [w for w in built.warnings if "not in the credits" in w]
    html = (tmp_path / "feeds" / slug / "index.html").read_text(encoding="utf-8")
    assert "Jean-Luc O&#39;Malley-Nguyễn" in html and "Ngozi Adébáyọ̀-Whitfield" in html


def test_page_from_url(tmp_path: Path) -> None:
    """An http URL (a server on 127.0.0.1, allowed with --allow-private) works like a file; HTML
    is told by its Content-Type."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        def guess_type(self, path: str) -> str:  # type: ignore[override]
            return "text/html; charset=utf-8"

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(DATA)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/npr_transcript.html"
        result = _run(
            url,
            "--episodes",
            str(tmp_path / "episodes"),
            "--slug",
            "night-markets",
            "--allow-private",
        )
        missing = _run(
            url.replace("npr_transcript", "nope"),
            "--episodes",
            str(tmp_path / "episodes"),
            "--allow-private",
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert result.exit_code == 0, result.output
    assert (tmp_path / "episodes" / "night-markets" / "episode.yaml").is_file()
    assert missing.exit_code == 1
    assert missing.stderr == (
        f"error: {url.replace('npr_transcript', 'nope')}: the server answered 404 File not found;"
        " check the URL\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["missing.txt"],
            (
                "error: missing.txt: not found; expected a file holding the story page,"
                " or an http(s) URL\n"
            ),
        ),
        (
            ["ftp://example.org/page"],
            (
                "error: ftp://example.org/page: only http:// and https:// URLs can be imported,"
                " or a file holding the story page\n"
            ),
        ),
        (
            ["page.txt", "--slug", "Bad Slug"],
            (
                "page.txt: --slug: 'Bad Slug' must be 1-100 lower-case letters, digits and hyphens,"
                " starting and ending with a letter or digit"
                " (it becomes part of every URL of the episode)\n"
                "error: 1 problem in 1 file\n"
            ),
        ),
        (
            ["latin1.txt"],
            "error: latin1.txt: line 4: not valid UTF-8 (byte 0xE9); save the page as UTF-8 text\n",
        ),
        (
            ["empty.txt"],
            (
                "empty.txt: no story text found on the page"
                " (expected paragraphs of transcript after the title)\n"
                "error: 1 problem in 1 file\n"
            ),
        ),
        (
            ["control.txt"],
            (
                "control.txt:4:6: transcript: character U+000B (a control character) is not allowed"
                " in a transcript (XML 1.0 cannot carry it); remove it\n"
                "error: 1 problem in 1 file\n"
            ),
        ),
    ],
)
def test_bad_input_is_one_clear_error(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unreadable pages fail with exit 1 and one message naming the file; nothing is written."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(SEED_COPY, tmp_path / "page.txt")
    (tmp_path / "latin1.txt").write_bytes("Title\n\nSome text\nCaf\u00e9".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("Play Live Radio\nNext Up:\n0:00 0:00\n")
    (tmp_path / "control.txt").write_text("Title\n\nMCEVERS: Hello\nthere\x0b.\n")
    result = _run(*args, "--episodes", "episodes")
    assert result.exit_code == 1
    assert result.stderr == message
    assert not (tmp_path / "episodes").exists()


def test_existing_folder_is_never_overwritten(empty_show: Path) -> None:
    """Importing twice into the same slug stops with a clear message and leaves the first import."""
    assert _run(str(SEED_COPY), "--episodes", str(empty_show), "--slug", "one").exit_code == 0
    before = (empty_show / "one" / "episode.yaml").read_bytes()
    again = _run(str(SEED_COPY), "--episodes", str(empty_show), "--slug", "one")
    assert again.exit_code == 1
    assert "already exists; nothing was written. Choose another --slug" in again.stderr
    assert (empty_show / "one" / "episode.yaml").read_bytes() == before


def test_every_command_has_help_and_docs() -> None:
    """`import page` and `import feed` have help text, and docs/import.md documents each option."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
    for name, command in import_command.commands.items():
        assert command.help and len(command.help) > 40, name
        assert f"stationcast import {name} FILE_OR_URL" in docs
        for param in command.params:
            if param.name in SHARED_OPTIONS:  # every command's, documented once in the README
                continue
            for option in param.opts:
                if option.startswith("--"):
                    assert option in docs, (name, option)
    result = CliRunner().invoke(CLI, ["import", "-h"])
    assert result.exit_code == 0 and "page" in result.output and "feed" in result.output


def test_npr_page_saved_as_text(tmp_path: Path) -> None:
    """npr.org saved as text: the menu, "Transcript" heading and the byline names above the
    transcript are not part of it; the date line gives the date; the notice is the credit."""
    episodes = tmp_path / "episodes"
    result = _run(str(DATA / "npr_transcript.txt"), "--episodes", str(episodes))
    assert result.exit_code == 0, result.output
    folder = episodes / "tucson-s-night-markets-are-back-and-busier-than-ever"
    transcript = (folder / "transcript.txt").read_text(encoding="utf-8")
    assert transcript.startswith("JUNE OKAFOR, HOST:\n\nOn Friday nights in south Tucson")
    data = manifest(folder / "episode.yaml")
    assert data["published"] == "2023-11-02T17:12:00-04:00"
    assert data["transcript"]["credit"].startswith("Copyright © 2023 NPR.")
    assert [c["name"] for c in data["credits"]] == [
        "June Okafor",
        "Dmitri Vasquez-Lehane",
        "Zoë D'Ambrosio",
    ]
    assert data["summary"].startswith("On Friday nights in south Tucson")
    assert (
        "summary: the transcript has no introduction; used the host's opening words"
        " (JUNE OKAFOR, HOST)" in result.stderr
    )


def test_npr_page_builds(empty_show: Path, tmp_path: Path) -> None:
    """The NPR import, its TODOs filled, builds: every credited label resolves to its full name, the
    unidentified voice is known (no warning) and shown as "Unidentified person 1", cues stay cues,
    and the
    copyright/rush-transcript notice is the transcript credit."""
    result = _run(
        str(DATA / "npr_transcript.html"), "--episodes", str(empty_show), "--slug", "night-markets"
    )
    assert result.exit_code == 0, result.output
    folder = empty_show / "night-markets"
    _fill(folder / "episode.yaml", role="guest")
    shutil.copy(EXAMPLE / EXAMPLE_SLUG / "audio.mp3", folder / "audio.mp3")
    built = build_show(empty_show, tmp_path / "feeds")
    unresolved = [w for w in built.warnings if "not in the credits" in w]
    assert unresolved == []
    html = (tmp_path / "feeds" / "night-markets" / "index.html").read_text(encoding="utf-8")
    section = _transcript_section(html)
    assert "Unidentified person 1" in section
    for name in ("June Okafor", "Dmitri Vasquez-Lehane", "Zoë D&#39;Ambrosio"):
        assert re.search(r'<cite class="speaker">(?:<bdi>)?' + re.escape(name), section), name
    assert "SOUNDBITE OF MUSIC" in section and 'class="cue"' in section
    assert "NPR transcripts are created on a rush deadline" in section
    assert "OKAFOR:" not in section and "VASQUEZ-LEHANE:" not in section


def test_html_paragraphs_made_with_line_breaks() -> None:
    """Pages that separate paragraphs with <br><br> inside one <p> give the same paragraphs."""
    from stationcast.importers.pagehtml import read_html_page

    html = (
        "<html><body><h1>Ferry Returns</h1><div class='entry-content'><p>The ferry is back.<br><br>"
        "VEGA: When did it start?<br>ECHEVERRÍA: Monday.<br><br>"
        "It was full.</p></div></body></html>"
    ).encode()
    doc = read_html_page(html, "page.html")
    assert doc.title == "Ferry Returns"
    assert doc.paragraphs == [
        "The ferry is back.",
        "VEGA: When did it start?",
        "ECHEVERRÍA: Monday.",
        "It was full.",
    ]


def test_title_followed_directly_by_its_date(tmp_path: Path) -> None:
    """Pasted text that lost the blank line between headline and date still has its title."""
    page = tmp_path / "page.txt"
    page.write_text(
        "Ferry Returns To Kessel Island\nPublished April 3, 2024 at 6:40 AM EDT\n\n"
        "The ferry is back. Host Marisol Vega reports.\n\nVEGA: It left at dawn.\n"
    )
    result = _run(str(page), "--episodes", str(tmp_path / "episodes"))
    assert result.exit_code == 0, result.output
    data = manifest(tmp_path / "episodes" / "ferry-returns-to-kessel-island" / "episode.yaml")
    assert data["title"] == "Ferry Returns To Kessel Island"
    assert data["published"] == "2024-04-03T06:40:00-04:00"
    assert data["summary"] == "The ferry is back. Host Marisol Vega reports."
    assert data["credits"] == [{"name": "Marisol Vega", "role": "host", "speaker": "VEGA"}]


def test_html_dateline_without_metadata(tmp_path: Path) -> None:
    """A station page without date metadata: its "Published ... EDT" dateline gives the date."""
    page = tmp_path / "story.html"
    html = (DATA / "station_story.html").read_text(encoding="utf-8")
    page.write_text(
        re.sub(r'<meta property="article:published_time"[^>]*>', "", html), encoding="utf-8"
    )
    result = _run(str(page), "--episodes", str(tmp_path / "episodes"), "--slug", "whitefish")
    assert result.exit_code == 0, result.output
    data = manifest(tmp_path / "episodes" / "whitefish" / "episode.yaml")
    assert data["published"] == "2024-03-14T16:20:00-04:00"
