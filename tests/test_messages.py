"""Messages that say what to do: each one's exact text, and never a traceback."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from support import EXAMPLE_SLUG

EXAMPLE_GUID = "1f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_deleted_guid_of_a_published_episode_offers_the_published_one(
    show: Path, run: Callable[..., Result]
) -> None:
    """The state file knows the GUID the episode was published with: that is the line to add,
    not a fresh GUID the next build would refuse as a change."""
    assert run("build").exit_code == 0
    manifest = show / EXAMPLE_SLUG / "episode.yaml"
    edit(manifest, f"guid: {EXAMPLE_GUID}\n", "")
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        f"episodes/{EXAMPLE_SLUG}/episode.yaml:1:1: guid: required field is missing or empty;"
        f" this episode was published with the GUID {EXAMPLE_GUID} (recorded in"
        " feeds/.stationcast/state.json): add the line"
        f" `guid: {EXAMPLE_GUID}` back, unchanged, or podcast apps take it for a new episode\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )


def test_missing_files_come_with_the_field_problems(show: Path, run: Callable[..., Result]) -> None:
    """A misspelt file name is reported in the same pass as a bad field, at its line and
    column, with the closest name the folder has and what it holds."""
    manifest = show / EXAMPLE_SLUG / "episode.yaml"
    edit(manifest, "audio: audio.mp3", "audio: audio-final.mp3")
    edit(manifest, "published: 2015-09-22T17:35:00-04:00", "published: 2015-09-22")
    (show / "artwork.jpg").rename(show / "artwork.jpeg")
    result = run("build")
    assert result.exit_code == 1
    folder = f"episodes/{EXAMPLE_SLUG}"
    assert result.stderr == (
        f"{folder}/episode.yaml:4:12: published: '2015-09-22' has no UTC offset; add one"
        " (like 2015-09-22T17:35:00-04:00, or Z for UTC), or set the station's time zone in"
        " show.yaml (station: timezone: America/New_York) to read such times in it\n"
        f"{folder}/episode.yaml:13:8: audio: {folder}/audio-final.mp3: audio file not found;"
        f" did you mean audio.mp3? ({folder}/ has audio.mp3, episode.yaml, transcript.txt)\n"
        "episodes/show.yaml:13:10: artwork: episodes/artwork.jpg: file not found; expected a"
        " square JPEG or PNG beside show.yaml; did you mean artwork.jpeg? (episodes/ has"
        " artwork.jpeg, show.yaml)\n"
        "error: 3 problems in 2 files; nothing was written to feeds/\n"
    )
    assert "Traceback" not in result.output


def test_speaker_label_messages(show: Path, run: Callable[..., Result]) -> None:
    """A label typo names its line and the closest credited label; a title-case label is
    caught and spelled in capitals; NPR's unidentified voices are known; a credit whose
    labels never appear gets a note."""
    folder = show / EXAMPLE_SLUG
    (folder / "transcript.txt").write_text(
        "MCEVERS: Welcome.\n\n"
        "DEBRYUN: Thank you.\n\n"
        "UNIDENTIFIED PERSON #1: What?\n\n"
        "Maria Ortega: I was there.\n",
        encoding="utf-8",
    )
    edit(
        folder / "episode.yaml",
        "credits:\n",
        "credits:\n  - {name: Ann DeBruyn, role: reporter, speaker: DEBRUYN}\n",
    )
    result = run("build")
    assert result.exit_code == 0, result.output
    transcript = f"episodes/{EXAMPLE_SLUG}/transcript.txt"
    assert result.stderr == (
        f"warning: {transcript}:3: speaker label 'DEBRYUN' is not in the credits (did you mean"
        " DEBRUYN, Ann DeBruyn?); shown as written (add it to a credit's speaker: list)\n"
        f"warning: {transcript}:7: 'Maria Ortega:' looks like a speaker label, but labels are"
        " written in capitals, so this paragraph is read as more of the previous speaker's"
        " turn; write it as 'MARIA ORTEGA:' to start a turn\n"
        f"note: episodes/{EXAMPLE_SLUG}/episode.yaml: credits.0: Ann DeBruyn's speaker label"
        f" DEBRUYN never appears in {transcript}; check the spelling (or leave speaker: empty"
        " for someone who does not speak)\n"
        f"note: episodes/{EXAMPLE_SLUG}/episode.yaml: credits.2: Peter Neumann's speaker labels"
        f" PETER NEUMANN, NEUMANN never appear in {transcript}; check the spelling (or leave"
        " speaker: empty for someone who does not speak)\n"
        "2 warnings (--strict makes them errors)\n"
    )
    page = (show.parent / "feeds" / EXAMPLE_SLUG / "index.html").read_text(encoding="utf-8")
    assert "Unidentified person 1" in page


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "title: Budget: the vote",
            "1:14: YAML syntax error: the value holds ': ', which YAML reads as another key; put"
            ' the value in quotes: title: "Budget: the vote"',
        ),
        (
            "\ttitle: Budget",
            "1:1: YAML syntax error: a tab character; YAML indents with spaces only: replace the"
            " tab with spaces",
        ),
        (
            'title: "Budget night',
            "1:8: YAML syntax error: the quoted text opened here is never closed (reached the"
            " end of the file); add the closing quote",
        ),
    ],
)
def test_yaml_syntax_errors_say_what_to_do(
    show: Path, run: Callable[..., Result], line: str, expected: str
) -> None:
    manifest = show / EXAMPLE_SLUG / "episode.yaml"
    lines = manifest.read_text(encoding="utf-8").split("\n")
    manifest.write_text("\n".join([line, *lines[1:]]), encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        f"episodes/{EXAMPLE_SLUG}/episode.yaml:{expected}\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )


def test_ctrl_c_in_any_command_exits_130(
    show: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C outside the build's own handling (here while `new` writes) is one line and
    status 130, not click's "Aborted!" and 1."""

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("stationcast.scaffold.new_episode", interrupted)
    result = run("new", "Anything")
    assert (result.exit_code, result.stderr) == (130, "\nerror: interrupted\n")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_an_output_folder_nobody_can_write_is_a_message(
    show: Path, run: Callable[..., Result]
) -> None:
    """--out where no file can be created: what and where, no traceback."""
    result = run("build", "--out", "/proc/x")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: cannot create the lock file /proc/.x.lock: /proc does not take new files (No"
        " such file or directory); choose another folder\n",
    )
    result = run("build", "--out", "/sys/kernel/x")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: cannot create the lock file /sys/kernel/.x.lock: /sys/kernel cannot be written"
        " by this user (Permission denied); choose another folder\n",
    )


def test_serve_on_a_busy_default_port_picks_a_free_one(show: Path, tmp_path: Path) -> None:
    """The default port taken: serve says so and serves on a free port (an explicit --port
    that is taken is an error suggesting --port 0: tests/test_cli.py)."""
    import socket
    import subprocess
    import sys

    blocker = socket.socket()
    try:
        blocker.bind(("127.0.0.1", 8000))
        blocker.listen(1)
    except OSError:
        pass  # already taken by something else: busy all the same
    server = subprocess.Popen(
        [sys.executable, "-m", "stationcast", "serve", "--no-watch"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None and server.stdout is not None
        note = server.stderr.readline()
        match = re.fullmatch(r"note: port 8000 is in use; serving on port (\d+) instead\n", note)
        assert match, note
        port = match[1]
        assert server.stdout.readline().startswith("built the preview in ")
        assert server.stdout.readline().endswith(f" at http://127.0.0.1:{port}/\n")
    finally:
        server.kill()
        server.communicate()
        blocker.close()


def test_publish_warns_when_sources_changed_after_the_build(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """An edit after the build: publish says the upload is the build from before it; after a
    build that changed nothing (the edit undone), it does not."""
    import os

    assert run("build").exit_code == 0
    manifest = show / EXAMPLE_SLUG / "episode.yaml"
    later = (tmp_path / "feeds" / ".stationcast" / "state.json").stat().st_mtime + 5
    os.utime(manifest, (later, later))
    result = run("publish", "--to", str(tmp_path / "www"), "--no-ping")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        f"warning: episodes/{EXAMPLE_SLUG}/episode.yaml changed after feeds/ was built; this"
        " publishes the build from before it: run `stationcast build` first\n"
    )
    os.utime(manifest, (later - 10, later - 10))  # as if the edit was undone before building
    assert run("build").exit_code == 0
    again = run("publish", "--to", str(tmp_path / "www"), "--no-ping")
    assert again.exit_code == 0 and "changed after" not in again.stderr


def test_serve_prints_the_build_warnings(show: Path, tmp_path: Path) -> None:
    """The preview build's warnings are printed as `build` prints them."""
    import subprocess
    import sys

    transcript = show / EXAMPLE_SLUG / "transcript.txt"
    transcript.write_text(
        transcript.read_text(encoding="utf-8") + "\nSTRANGER: Hello.\n", encoding="utf-8"
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "stationcast", "serve", "--no-watch", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        line = server.stderr.readline()
        assert (
            line.startswith(f"warning: episodes/{EXAMPLE_SLUG}/transcript.txt:")
            and "speaker label 'STRANGER' is not in the credits" in line
        ), line
    finally:
        server.kill()
        server.communicate()
