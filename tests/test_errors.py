"""How messages name files (display_path) and the caller's options (Option inside Message)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from stationcast.errors import BuildError, InputError, Message, Option, Problem, display_path

# (path as given, relative to the working directory unless it starts with "/", shown as).
# "{cwd}" stands for the working directory, "{outside}" for a folder beside it.
DISPLAY_CASES = [
    ("episodes/show.yaml", "episodes/show.yaml"),
    ("./episodes//show.yaml", "episodes/show.yaml"),
    ("episodes/../feeds", "feeds"),
    (".", "."),
    ("{cwd}", "."),
    ("{cwd}/feeds/feed.xml", "feeds/feed.xml"),
    ("{cwd}/feeds/../episodes", "episodes"),
    ("{outside}/show.yaml", "{outside}/show.yaml"),
    ("../beside/show.yaml", "../beside/show.yaml"),
]


@pytest.mark.parametrize(("given", "shown"), DISPLAY_CASES)
def test_a_path_is_shown_as_the_user_would_type_it(
    given: str, shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside the working directory: relative to it and normalised; outside: as given."""
    cwd = tmp_path / "show"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    where = {"cwd": str(cwd), "outside": str(tmp_path / "beside")}
    assert display_path(Path(given.format(**where))) == shown.format(**where)


def _flag(option: Option) -> str:
    return "--" + option.name.replace("_", "-") + (f" {option.value}" if option.value else "")


def test_a_message_reads_as_keyword_arguments_and_keeps_its_options() -> None:
    """As text a Message names the keyword argument; spelled, it names the flag; and both
    survive pickling (render workers send their results and errors back pickled)."""
    message = Message("or pass ", Option("allow_removal"), " to remove it")
    assert message == "or pass allow_removal to remove it"
    copy = pickle.loads(pickle.dumps(message))
    assert copy.spelled(_flag) == message.spelled(_flag) == "or pass --allow-removal to remove it"


def test_errors_and_problems_spell_the_options_they_name() -> None:
    """An error built from a Message, and an InputError's problems, spell their options;
    plain text is left as it is."""
    refused = BuildError(Message(Option("out", "notes"), " is not a build"))
    assert (str(refused), refused.spelled(_flag)) == (
        "out=notes is not a build",
        "--out notes is not a build",
    )
    problems = InputError(
        [
            Problem("a.yaml", 3, 1, "guid", Message("pass ", Option("allow_guid_change"))),
            Problem("b.yaml", message="plain text"),
        ]
    )
    assert problems.spelled(_flag) == (
        "a.yaml:3:1: guid: pass --allow-guid-change\nb.yaml: plain text"
    )
    assert str(problems) == "a.yaml:3:1: guid: pass allow_guid_change\nb.yaml: plain text"
