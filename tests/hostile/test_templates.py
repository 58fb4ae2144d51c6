"""Hostile templates in a show's templates/ folder: they cannot run code, read files outside
the show, hang the build or exhaust its memory. Each gets a clear error naming the template
file (and line), exit status 1, no traceback, and the previous feeds/ stays exactly as it was.

The catalogue of inputs and the behaviour each must get is the tables below; the README's
"Guarantees" section points here.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest
from click.testing import Result

from stationcast.sandbox import limits
from support import EXAMPLE_SLUG, tree_digest

EP = "episodes/templates/episode.html"
SANDBOX = "(templates run in a sandbox: see docs/pages.md)"
LIMITS = "while rendering episode.html (see the limits in docs/pages.md)"
VARIABLES = (
    "while rendering episode.html (the variables each template gets are listed in docs/pages.md)"
)
NESTING = (
    "the templates nest deeper than Python allows while rendering episode.html: a template that"
    " extends or includes itself, or a macro that calls itself, without end?"
)
#: A build that takes longer than this has hung (the slowest case takes a few seconds).
HANG_SECONDS = 120


@pytest.fixture(autouse=True)
def hang_guard() -> Iterator[None]:
    """Fail the test, instead of hanging the suite, if a build does not return."""

    def hung(signum: int, frame: FrameType | None) -> None:
        pytest.fail(f"the build did not finish within {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def built(show: Path, run: Callable[..., Result], tmp_path: Path) -> dict[str, str]:
    assert run("build").exit_code == 0
    return tree_digest(tmp_path / "feeds")


def _build_fails(run: Callable[..., Result], tmp_path: Path, before: dict[str, str]) -> str:
    """The build's last line of output, after checking it failed cleanly and wrote nothing."""
    result = run("build")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert tree_digest(tmp_path / "feeds") == before
    return result.stderr.rstrip().splitlines()[-1]


def _templates(show: Path, files: dict[str, str]) -> None:
    folder = show / "templates"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


# The commands the code-execution cases try to run would leave this file in the working folder.
MARKER = "MARKER"
TOUCH = f'"touch {MARKER}"'


def refused(line: int, attribute: str, kind: str) -> str:
    """The message for a template reaching what the sandbox refuses."""
    where = f"error: {EP}:{line}"
    return f"{where}: access to attribute {attribute!r} of {kind!r} object is not allowed {SANDBOX}"


def limit(line: int, what: str) -> str:
    """The message for a template going past one of the limits."""
    return f"error: {EP}:{line}: {what} {LIMITS}"


def text_over(what: str) -> str:
    return f"{what} would make a text of more than 20,000,000 characters"


STEPS = (
    "the templates took more than 1,000,000 steps (loop iterations and calls) for one page;"
    " a loop or a macro that does not end?"
)
MADE = "the templates made more than 100,000,000 characters of text for one page"
PAGE = "the page would be longer than 20,000,000 characters, the most a page may have"
NOT_FOUND = (
    f"error: {EP}:1: template '../show.yaml' not found while rendering episode.html (a show's own"
    " templates are read from its templates folder; the originals are stationcast/<name>)"
)
NOTHING = "{% for j in range(100000) %}{% endfor %}"
TREE = "{% macro t(n) %}{% if n %}{{ t(n - 1) }}{{ t(n - 1) }}{% endif %}{% endmacro %}{{ t(60) }}"
DOUBLING = "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
KILOBYTES = "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}"

# (what, episode.html, the build's last line of output)
TEMPLATE_CASES = [
    # reaching Python internals to run a command or read a file
    ("cycler globals run a command", f"{{{{ cycler.__init__.__globals__.os.popen({TOUCH}) }}}}",
     refused(1, "__init__", "type")),
    ("joiner globals", f"<p>\n{{{{ joiner.__init__.__globals__.os.system({TOUCH}) }}}}",
     refused(2, "__init__", "type")),
    ("namespace globals", f"{{{{ namespace.__init__.__globals__['os'].popen({TOUCH}) }}}}",
     refused(1, "__init__", "type")),
    ("range globals", f"{{{{ range.__globals__['os'].popen({TOUCH}) }}}}",
     refused(1, "__globals__", "method")),
    ("lipsum globals read a file", "{{ lipsum.__globals__['os'].popen('cat /etc/passwd').read() }}",
     f"error: {EP}:1: 'lipsum' is undefined {VARIABLES}"),
    ("random filter (a page must be the same on every build)", "{{ [1, 2, 3] | random }}",
     f"error: {EP}:1: template error: No filter named 'random'."),
    ("the template's own context", "{{ self._TemplateReference__context }}",
     refused(1, "_TemplateReference__context", "TemplateReference")),
    ("class hierarchy of a string", "{{ ''.__class__.__mro__[1].__subclasses__() }}",
     refused(1, "__class__", "str")),
    ("str.format reaching internals", "{{ '{0.__class__.__mro__}'.format(show) }}",
     refused(1, "__class__", "Show")),
    ("str.format_map reaching internals",
     "{{ '{x.__init__.__globals__}'.format_map({'x': cycler}) }}", refused(1, "__init__", "type")),
    ("attr filter", "{{ show | attr('__class__') }}", refused(1, "__class__", "Show")),
    ("map filter by attribute", "{{ credits | map(attribute='__class__') | list }}",
     refused(1, "__class__", "dict")),
    ("sort filter by attribute", "{{ credits | sort(attribute='__class__') }}",
     refused(1, "__class__", "dict")),
    ("format filter", "{{ '%s' | format(show.__class__) }}", refused(1, "__class__", "Show")),
    ("pydantic's parse_file reads any file", "{{ show.parse_file('/etc/passwd') }}",
     refused(1, "parse_file", "Show")),
    ("pydantic's machinery", "{{ episode.model_rebuild(force=True) }}",
     refused(1, "model_rebuild", "Episode")),
    ("changing a list passed in", "{{ credits.append(1) }}", refused(1, "append", "list")),
    ("include a file outside templates/", '{% include "../show.yaml" %}', NOT_FOUND),
    # recursion
    ("macro calling itself", "{% macro again() %}{{ again() }}{% endmacro %}\n{{ again() }}",
     f"error: {EP}:1: {NESTING}"),
    ("template extending itself", '{% extends "episode.html" %}', f"error: {EP}:1: {NESTING}"),
    ("template including itself", '<p>\n{% include "episode.html" %}', f"error: {EP}:2: {NESTING}"),
    # work without end, or without bounds
    ("nested loops printing nothing", f"{{% for i in range(100000) %}}{NOTHING}{{% endfor %}}",
     limit(1, STEPS)),
    ("macro calling itself twice per call", TREE, limit(1, STEPS)),
    ("range too long", "{% for i in range(10**12) %}{% endfor %}",
     limit(1, "range() of more than 100,000 numbers")),
    ("string repetition", "{% set s = 'x' * 10**10 %}", limit(1, text_over("'*'"))),
    ("list repetition", "{% set s = [0] * 10**10 %}",
     limit(1, "'*' would make a list of more than 1,000,000 items")),
    ("huge number", "{% set n = 2 ** (10 ** 9) %}",
     limit(1, "'**' would make a number of more than 100,000 bits")),
    ("text doubled in a loop", DOUBLING + "{% endfor %}", limit(1, text_over("'~'"))),
    ("padding", "{{ 'x'.center(10**10) }}", limit(1, text_over("center()"))),
    ("format width", "{{ '{:>10000000000}'.format(1) }}", limit(1, text_over("format()"))),
    ("printf width", "{{ '%10000000000d' % 1 }}", limit(1, text_over("'%'"))),
    ("replace between every character", "{{ 'ab' | replace('', 'x' * 10000000) }}",
     limit(1, text_over("the replace filter"))),
    ("join of shared long strings", "{{ (['x' * 1000000] * 100) | join('-') }}",
     limit(1, text_over("the join filter"))),
    ("printing a list of shared long strings", "{{ ['x' * 1000000] * 100000 }}",
     limit(1, text_over("printing a value"))),
    ("batch padded to billions", "{{ range(3) | batch(10**10, 'x') | list }}",
     limit(1, "the batch filter with linecount over 100,000")),
    ("gigabytes of output", "<p>\n" + KILOBYTES, limit(2, PAGE)),
    ("gigabytes collected by a macro",
     "{% macro m() %}" + KILOBYTES + "{% endmacro %}{{ m() | length }}", limit(1, MADE)),
    ("slow filter on long text", "{{ ('x' * 2000000) | wordwrap(5) }}", limit(1, MADE)),
    ("comparing lists of shared lists", "{% set a = range(100000) | list %}"
     "{% set b = range(100000) | list %}{{ [a] * 1000000 == [b] * 1000000 }}", limit(1, MADE)),
    ("membership tests in a loop", "{% set b = range(100000) | list %}"
     "{% for i in range(100000) %}{% if 99999 is in b %}{% endif %}{% endfor %}", limit(1, MADE)),
    ("slices of long text in a loop", "{% set s = 'x' * 10000000 %}"
     "{% for i in range(100000) %}{% set t = s[1:] %}{% endfor %}", limit(1, MADE)),
    ("sorting lists of shared lists", "{{ ([range(100000) | list] * 1000000) | sort | length }}",
     limit(1, "the sort filter would read more than 20,000,000 characters and items")),
    # ordinary mistakes
    ("division by zero", "<p>{{ 1 / 0 }}</p>",
     f"error: {EP}:1: ZeroDivisionError: division by zero while rendering episode.html"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("what", "template", "expected"), TEMPLATE_CASES, ids=[c[0] for c in TEMPLATE_CASES]
)
def test_hostile_template(
    what: str,
    template: str,
    expected: str,
    show: Path,
    run: Callable[..., Result],
    tmp_path: Path,
    built: dict[str, str],
) -> None:
    """Each hostile episode.html fails the build with the template's name, line and what was
    refused; no command runs and nothing is written."""
    _templates(show, {"episode.html": template})
    assert _build_fails(run, tmp_path, built) == expected
    assert not (tmp_path / MARKER).exists()
    assert not (show / MARKER).exists()


def test_range_limit_is_jinjas_own() -> None:
    """The sandbox's range() limit is the one Jinja2's sandbox documents (MAX_RANGE)."""
    from jinja2.sandbox import MAX_RANGE

    assert limits.MAX_RANGE_ITEMS == MAX_RANGE


def test_checking_the_templates_folder_loads_no_jinja() -> None:
    """The check every build makes of a show's templates folder (even one with nothing to
    render) does not import Jinja2: only rendering needs it."""
    import subprocess
    import sys

    code = (
        "import sys; from stationcast.sandbox import scan_templates; print('jinja2' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_cpu_time_is_a_backstop(
    show: Path,
    run: Callable[..., Result],
    tmp_path: Path,
    built: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Work the other limits count too cheaply (a million attribute lookups per step) stops at
    the CPU-time limit (lowered here to keep the test short)."""
    monkeypatch.setattr(limits, "MAX_CPU_SECONDS", 2)
    _templates(
        show,
        {
            "episode.html": "{% set b = ['x'] * 1000000 %}{% for i in range(1000) %}"
            "{{ b | map(attribute='upper') | list | length }}{% endfor %}"
        },
    )
    expected = limit(1, "the templates took more than 2 seconds of CPU time for one page")
    assert _build_fails(run, tmp_path, built) == expected


def test_extends_cycle(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """a.html extends b.html extends a.html: a clean error naming a template of the cycle."""
    _templates(
        show,
        {
            "episode.html": '{% extends "a.html" %}',
            "a.html": '{% extends "b.html" %}',
            "b.html": '{% extends "a.html" %}',
        },
    )
    line = _build_fails(run, tmp_path, built)
    assert line in (f"error: episodes/templates/{n}.html:1: {NESTING}" for n in ("a", "b")), line


def _link(target: str, name: str) -> Callable[[Path], None]:
    def make(show: Path) -> None:
        (show / "templates").mkdir(exist_ok=True)
        os.symlink(target, show / "templates" / name)

    return make


def _fifo(name: str) -> Callable[[Path], None]:
    def make(show: Path) -> None:
        path = show / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)

    return make


def _raw(name: str, data: bytes) -> Callable[[Path], None]:
    def make(show: Path) -> None:
        (show / "templates").mkdir(exist_ok=True)
        (show / "templates" / name).write_bytes(data)

    return make


def _templates_link_out(show: Path) -> None:
    os.symlink("/etc", show / "templates")


def _templates_file(show: Path) -> None:
    (show / "templates").write_text("{{ not a folder }}\n", encoding="utf-8")


def _page_folder(show: Path) -> None:
    (show / "templates" / "episode.html").mkdir(parents=True)


def _too_large(show: Path) -> None:
    (show / "templates").mkdir()
    with open(show / "templates" / "episode.html", "wb") as stream:
        stream.truncate(5_000_001)  # sparse: no disk used


def _include_link_out(show: Path) -> None:
    _templates(show, {"episode.html": '{% include "secret.html" %}'})
    os.symlink("/etc/passwd", show / "templates" / "secret.html")


FOLDER_NOT_TEMPLATES = (
    "is not a regular file (a FIFO, socket or device?); expected a template file or folder"
)
LINK_OUT = "is a symbolic link out of the episodes folder; copy the file into it instead"
T = "episodes/templates"
NOT_A_FOLDER = (
    f"error: {T}: is not a folder; expected a folder of templates beside show.yaml"
    " (see docs/pages.md)"
)

# (what, how the show's templates folder is made hostile, the build's last line of output)
FILE_CASES = [
    ("templates linked out of the show", _templates_link_out, f"error: {T}: {LINK_OUT}"),
    ("stylesheet linked to /etc/passwd", _link("/etc/passwd", "style.css"),
     f"error: {T}/style.css: {LINK_OUT}"),
    ("included template linked out", _include_link_out, f"error: {T}/secret.html: {LINK_OUT}"),
    ("FIFO as a template", _fifo("episode.html"), f"error: {EP}: {FOLDER_NOT_TEMPLATES}"),
    ("FIFO among partials", _fifo("partials/pipe"),
     f"error: {T}/partials/pipe: {FOLDER_NOT_TEMPLATES}"),
    ("templates is a file", _templates_file, NOT_A_FOLDER),
    ("episode.html is a folder", _page_folder,
     f"error: {EP}: is a folder; expected the template file episode.html"),
    ("invalid UTF-8 in a template", _raw("episode.html", b"<p>\n<p>caf\xe9</p>\n"),
     f"error: {EP}:2:7: is not valid UTF-8 (byte 0xe9); save the template as UTF-8"),
    ("invalid UTF-8 in the stylesheet", _raw("style.css", b"body {}\n/* \xff */\n"),
     f"error: {T}/style.css:2:4: is not valid UTF-8 (byte 0xff); save the template as UTF-8"),
    ("template file too large", _too_large,
     f"error: {EP}: is larger than 5,000,000 bytes, the most a template may have"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "make", "expected"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_hostile_templates_folder(
    what: str,
    make: Callable[[Path], None],
    expected: str,
    show: Path,
    run: Callable[..., Result],
    tmp_path: Path,
    built: dict[str, str],
) -> None:
    """The build reads templates only from inside the show, only regular UTF-8 files, and
    never waits on a FIFO; anything else is an error naming the file (the cache is in use, so
    the check runs on a build that would otherwise reuse everything)."""
    make(show)
    assert _build_fails(run, tmp_path, built) == expected


def test_a_misspelt_template_is_a_warning(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """templates/episde.html is not used by any page: the build says so, with the likely name."""
    _templates(show, {"episde.html": "<p>mine</p>\n"})
    result = run("build")
    assert result.exit_code == 0, result.output
    assert (
        "warning: episodes/templates/episde.html: no page uses a template of this name; did you"
        " mean episode.html? (the pages use base.html, episode.html, show.html and style.css; any"
        " other file only when a template includes, imports or extends it)"
    ) in result.stderr.splitlines()
    assert "mine" not in (tmp_path / "feeds" / EXAMPLE_SLUG / "index.html").read_text("utf-8")


def test_a_partial_with_its_own_name_is_no_warning(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A file a template includes, named unlike any page's template, builds without a warning."""
    _templates(
        show,
        {
            "episode.html": '{% extends "stationcast/episode.html" %}'
            '{% block credits %}{% include "partials/who.html" %}{% endblock %}',
            "partials/who.html": '<p class="who">{{ credits | map(attribute="name") | join(", ") }}'
            "</p>",
        },
    )
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    page = (tmp_path / "feeds" / EXAMPLE_SLUG / "index.html").read_text("utf-8")
    assert '<p class="who">Kelly McEvers, Peter Neumann</p>' in page


def test_links_within_the_show_are_followed(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """templates/ may be a link to a folder inside the show, and a template a link to a file
    inside it: both are used."""
    shared = show / "shared"
    shared.mkdir()
    (shared / "style.css").write_text("body { color: #111; }\n", encoding="utf-8")
    (shared / "pages").mkdir()
    os.symlink("../style.css", shared / "pages" / "style.css")
    os.symlink("shared/pages", show / "templates")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "feeds" / "style.css").read_text("utf-8") == "body { color: #111; }\n"


def test_a_link_loop_inside_templates_ends(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """templates/again -> . (a loop of links within the show) does not make the build walk
    for ever."""
    _templates(show, {"style.css": "body {}\n"})
    os.symlink(".", show / "templates" / "again")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "feeds" / "style.css").read_text("utf-8") == "body {}\n"


def _timed_transcript(hours: int) -> str:
    """A WebVTT transcript of `hours` hours, a 13-word cue every five seconds, two voices."""
    words = ["the", "report", "said", "many", "of", "them", "left", "because", "they", "did"]
    lines = ["WEBVTT", ""]
    for index in range(hours * 720):
        start = index * 5

        def stamp(seconds: int) -> str:
            return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}.000"

        speaker = ("Kelly McEvers", "Peter Neumann")[index // 3 % 2]
        text = " ".join(words[(index + k) % len(words)] for k in range(13))
        lines += [
            f"{stamp(start)} --> {stamp(start + 5)}",
            f"<v {speaker}>{text.capitalize()}.",
            "",
        ]
    return "\n".join(lines)


def test_a_three_hour_transcript_in_a_template_loop_is_within_the_limits(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """The limits are far above real pages: a three-hour timed transcript marked up by the
    template loop docs/pages.md shows (every turn, paragraph and run a loop iteration)."""
    folder = show / EXAMPLE_SLUG
    (folder / "transcript.vtt").write_text(_timed_transcript(3), encoding="utf-8")
    manifest = folder / "episode.yaml"
    manifest.write_text(
        manifest.read_text("utf-8").replace("file: transcript.txt", "file: transcript.vtt"), "utf-8"
    )
    loop = (
        '{% extends "stationcast/episode.html" %}{% block transcript %}<div class="turns">\n'
        '{% for turn in turns %}<div class="turn"'
        '{% if turn.anchor %} id="{{ turn.anchor }}"{% endif %}>'
        "{% if turn.speaker %}<cite>{{ turn.speaker }}:</cite>{% endif %}"
        '{% for para in turn.paragraphs %}<p dir="auto">{% for kind, text in para %}'
        '{% if kind == "nonspeech" %}<span class="cue">{{ text }}</span>'
        "{% else %}{{ text }}{% endif %}"
        "{% endfor %}</p>{% endfor %}</div>\n{% endfor %}</div>{% endblock %}"
    )
    _templates(show, {"episode.html": loop})
    result = run("build")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "feeds" / EXAMPLE_SLUG / "index.html").read_text("utf-8")
    assert page.count('<div class="turn"') > 700
