"""GUIDs and episodes never break: the state file and every rule that guards it, via the CLI."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from support import tree_digest

from .helpers import BASE, GUID, MANIFEST, SHOW_GUID, SLUG, edit

STATE = "feeds/.stationcast/state.json"
ENCLOSURE = f"{BASE}{SLUG}/audio.mp3"
SUMMARY = "error: 1 problem in 1 file; nothing was written to feeds/\n"


def _fails(run: Callable[..., Result], tmp_path: Path, *args: str) -> str:
    before = tree_digest(tmp_path / "feeds") if (tmp_path / "feeds").exists() else None
    result = run("build", *args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    if before is not None:
        assert tree_digest(tmp_path / "feeds") == before, "a failed build changed feeds/"
    return result.stderr


def _second_episode(
    show: Path, slug: str = "second", guid: str = "8d6b0d3e-3f57-4f0a-9d55-0c1a2f3b4c5d"
) -> Path:
    folder = show / slug
    shutil.copytree(show / SLUG, folder)
    edit(folder / "episode.yaml", f"guid: {GUID}", f"guid: {guid}")
    return folder


def test_state_file_records_what_was_published(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A build writes .stationcast/state.json, sorted and indented: guid, enclosure, slug, date."""
    assert run("build").exit_code == 0
    text = (tmp_path / STATE).read_text(encoding="utf-8")
    assert json.loads(text) == {
        "version": 1,
        "podcast_guid": SHOW_GUID,
        "feed_url": f"{BASE}feed.xml",
        "episodes": [
            {
                "guid": GUID,
                "enclosure": ENCLOSURE,
                "slug": SLUG,
                "published": "2015-09-22T17:35:00-04:00",
            }
        ],
    }
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


def test_rebuild_with_nothing_changed_passes(show: Path, run: Callable[..., Result]) -> None:
    """The previous state is read and agrees: a second build succeeds."""
    assert run("build").exit_code == 0
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_removed_episode_fails(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """An episode that was published and is gone fails the build, naming its manifest and GUID."""
    _second_episode(show)
    assert run("build").exit_code == 0
    shutil.rmtree(show / "second")
    assert _fails(run, tmp_path) == (
        "episodes/second/episode.yaml: published episode 'second' (guid"
        " '8d6b0d3e-3f57-4f0a-9d55-0c1a2f3b4c5d', published 2015-09-22T17:35:00-04:00, in"
        f" {STATE}) is not in this build (its folder or manifest is gone); podcast apps and"
        " directories would delete it. Restore it, or pass --allow-removal to remove it\n" + SUMMARY
    )


def test_episode_turned_draft_fails(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """Marking a published episode `draft: true` would remove it too, and says so."""
    assert run("build").exit_code == 0
    edit(show / SLUG / "episode.yaml", "title:", "draft: true\ntitle:")
    assert _fails(run, tmp_path) == (
        f"{MANIFEST}: published episode '{SLUG}' (guid '{GUID}', published"
        f" 2015-09-22T17:35:00-04:00, in {STATE}) is now a draft (draft: true); podcast apps and"
        " directories would delete it. Restore it, or pass --allow-removal to remove it\n" + SUMMARY
    )


def test_allow_removal(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """--allow-removal drops the episode, warns, and the next build no longer expects it."""
    _second_episode(show)
    assert run("build").exit_code == 0
    shutil.rmtree(show / "second")
    result = run("build", "--allow-removal")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "warning: episodes/second/episode.yaml: published episode 'second' (guid"
        " '8d6b0d3e-3f57-4f0a-9d55-0c1a2f3b4c5d', published 2015-09-22T17:35:00-04:00, in"
        f" {STATE}) is not in this build (its folder or manifest is gone); removed from the feed"
        " (--allow-removal)\n"
        "1 warning (--strict makes them errors)\n"
    )
    assert "8d6b0d3e" not in (tmp_path / "feeds" / "feed.xml").read_text()
    assert run("build").exit_code == 0


def test_changed_guid_fails(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """A changed GUID is reported at the guid line with the old and new values and the fix."""
    assert run("build").exit_code == 0
    edit(
        show / SLUG / "episode.yaml", f"guid: {GUID}", "guid: 2f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909"
    )
    assert _fails(run, tmp_path) == (
        f"{MANIFEST}:3:7: guid: changed from '{GUID}' (published in {STATE}) to"
        " '2f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909'; podcast apps would list the episode again as"
        f" new and download it again. Put back `guid: {GUID}`, or pass --allow-guid-change\n"
        + SUMMARY
    )


def test_allow_guid_change(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """--allow-guid-change accepts the new GUID, warns, and records it."""
    assert run("build").exit_code == 0
    edit(show / SLUG / "episode.yaml", f"guid: {GUID}", "guid: new-guid")
    result = run("build", "--allow-guid-change")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"warning: {MANIFEST}: guid changed from '{GUID}' (published in {STATE}) to 'new-guid';"
        " accepted (--allow-guid-change)\n"
        "1 warning (--strict makes them errors)\n"
    )
    assert json.loads((tmp_path / STATE).read_text())["episodes"][0]["guid"] == "new-guid"


def test_changed_enclosure_url_fails(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Renaming the audio file changes the enclosure URL: reported at the audio line."""
    assert run("build").exit_code == 0
    (show / SLUG / "audio.mp3").rename(show / SLUG / "segment.mp3")
    edit(show / SLUG / "episode.yaml", "audio: audio.mp3", "audio: segment.mp3")
    assert _fails(run, tmp_path) == (
        f"{MANIFEST}:13:8: audio: enclosure URL changed from '{ENCLOSURE}' (published in {STATE})"
        f" to '{BASE}{SLUG}/segment.mp3'; apps that identify episodes by it would download the"
        " episode again. Keep the old folder name and audio file name, or pass"
        " --allow-guid-change\n" + SUMMARY
    )
    assert run("build", "--allow-guid-change").exit_code == 0


def test_renamed_folder_changes_the_enclosure(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Renaming the episode folder (the slug) keeps the GUID but moves the enclosure: an error."""
    assert run("build").exit_code == 0
    (show / SLUG).rename(show / "isis-defectors")
    stderr = _fails(run, tmp_path)
    assert stderr.startswith(
        "episodes/isis-defectors/episode.yaml:13:8: audio: enclosure URL changed"
        f" from '{ENCLOSURE}' (published in {STATE}) to '{BASE}isis-defectors/audio.mp3';"
    )


def test_state_from_the_published_site(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """--state PATH checks against a state file fetched from the site, even into an empty folder."""
    assert run("build").exit_code == 0
    published = tmp_path / "published-state.json"
    shutil.copy(tmp_path / STATE, published)
    shutil.rmtree(tmp_path / "feeds")
    edit(show / SLUG / "episode.yaml", f"guid: {GUID}", "guid: other")
    stderr = _fails(run, tmp_path, "--state", "published-state.json")
    assert stderr.startswith(
        f"{MANIFEST}:3:7: guid: changed from '{GUID}' (published in published-state.json)"
    )
    assert not (tmp_path / "feeds").exists()


def test_unreadable_state_file(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """A damaged state file stops the build with what to do, rather than skipping the checks."""
    (tmp_path / "broken.json").write_text('{"episodes": 3}', encoding="utf-8")
    assert _fails(run, tmp_path, "--state", "broken.json") == (
        'error: the state file broken.json is not usable (expected {"episodes": [...]}); it records'
        " what earlier builds published. Restore it from the published site (and pass it with"
        " --state), or delete it to skip the GUID and removal checks once\n"
    )


def test_missing_guid_shows_the_line_to_add(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A manifest without a guid is an error giving a freshly generated `guid:` line to paste."""
    edit(show / SLUG / "episode.yaml", f"guid: {GUID}\n", "")
    stderr = _fails(run, tmp_path)
    match = re.fullmatch(
        rf"{MANIFEST}:1:1: guid: required field is missing or empty;"
        r" add the line `guid: ([0-9a-f-]{36})`"
        r" \(a fresh GUID made for this episode; never change it:"
        r" podcast apps identify the episode by it\)\n" + re.escape(SUMMARY),
        stderr,
    )
    assert match, stderr
    assert match[1][14] == "4"  # a version 4 (random) UUID
    assert match[1] != GUID


def test_duplicate_guids_name_both_files(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Two episodes with one GUID: an error naming both manifests."""
    _second_episode(show, guid=GUID)
    assert _fails(run, tmp_path) == (
        f"episodes/second/episode.yaml: guid: duplicate GUID '{GUID}', also used by {MANIFEST};"
        " every episode needs its own\n" + SUMMARY
    )


def test_duplicate_enclosure_urls_name_both_files(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Two episodes with one (remote) enclosure URL: an error naming both manifests."""
    remote = (
        "audio: {url: https://media.example.org/segment.mp3,"
        " length: 1000, type: audio/mpeg, duration: 60}"
    )
    edit(show / SLUG / "episode.yaml", "audio: audio.mp3", remote)
    second = _second_episode(show)
    assert _fails(run, tmp_path) == (
        f"{MANIFEST}: audio: duplicate enclosure URL 'https://media.example.org/segment.mp3',"
        " also used by episodes/second/episode.yaml; every episode needs its own audio URL\n"
        + SUMMARY
    )
    assert second.exists()


def test_slugs_differing_in_case_cannot_exist(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Slugs are lower-case only, so two folders can never collide on a case-insensitive disk."""
    shutil.copytree(show / SLUG, show / "Islamic-State-Defectors")
    assert _fails(run, tmp_path).startswith(
        "episodes/Islamic-State-Defectors: episode folder name must be 1-100 lower-case letters"
    )


def test_missing_podcast_guid_shows_the_line_to_add(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """No podcast_guid in show.yaml: the build stops, giving the line computed from the feed URL."""
    edit(show / "show.yaml", f"podcast_guid: {SHOW_GUID}\n", "")
    assert _fails(run, tmp_path) == (
        "episodes/show.yaml:3:1: podcast_guid: required field is missing; add the line"
        f" `podcast_guid: {SHOW_GUID}` (computed from the feed URL {BASE}feed.xml; it then"
        " identifies the show for good, even if the feed moves, so it is never computed again)\n"
        + SUMMARY
    )


def test_changed_podcast_guid_fails(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """A podcast_guid different from the published one is an error at its line."""
    assert run("build").exit_code == 0
    edit(
        show / "show.yaml",
        f"podcast_guid: {SHOW_GUID}",
        "podcast_guid: 917393e3-1b1e-5cef-ace4-edaa54e1f810",
    )
    stderr = _fails(run, tmp_path)
    assert stderr.startswith(
        f"episodes/show.yaml:38:15: podcast_guid: changed from '{SHOW_GUID}' (in {STATE}) to"
        " '917393e3-1b1e-5cef-ace4-edaa54e1f810'; podcast:guid identifies the show for good"
    )


def test_lost_podcast_guid_suggests_the_published_one(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """When show.yaml loses podcast_guid after publishing, the fix offered is the published one."""
    edit(
        show / "show.yaml",
        f"podcast_guid: {SHOW_GUID}",
        "podcast_guid: 917393e3-1b1e-5cef-ace4-edaa54e1f810",
    )
    assert run("build").exit_code == 0
    edit(show / "show.yaml", "podcast_guid: 917393e3-1b1e-5cef-ace4-edaa54e1f810\n", "")
    assert _fails(run, tmp_path) == (
        "episodes/show.yaml:3:1: podcast_guid: required field is missing; add the line"
        " `podcast_guid: 917393e3-1b1e-5cef-ace4-edaa54e1f810` (the one published before,"
        f" recorded in {STATE})\n" + SUMMARY
    )


def test_a_moved_feed_is_one_warning(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A new base URL moves every enclosure with the feed: one warning, not an error per episode."""
    assert run("build").exit_code == 0
    result = run("build", "--base-url", "https://cdn.example.net/wunc/")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"warning: the feed moved from {BASE}feed.xml (in {STATE}) to https://cdn.example.net/wunc/feed.xml;"
        " every enclosure URL under it moved too, and apps without GUID support download those"
        " episodes again. Keep the old feed redirecting to the new one, or set new_feed_url in it\n"
        "1 warning (--strict makes them errors)\n"
    )
    state = json.loads((tmp_path / STATE).read_text())
    assert state["episodes"][0]["enclosure"] == f"https://cdn.example.net/wunc/{SLUG}/audio.mp3"


def test_a_moved_feed_still_checks_each_episode(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Within a moved feed, a renamed audio file is still an error."""
    assert run("build").exit_code == 0
    (show / SLUG / "audio.mp3").rename(show / SLUG / "segment.mp3")
    edit(show / SLUG / "episode.yaml", "audio: audio.mp3", "audio: segment.mp3")
    stderr = _fails(run, tmp_path, "--base-url", "https://cdn.example.net/wunc/")
    assert f"{MANIFEST}:13:8: audio: enclosure URL changed from '{ENCLOSURE}'" in stderr
