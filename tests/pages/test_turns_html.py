"""`turns_html` and `episodes_html` (page markup written in Python for speed) against the same
markup written as a Jinja2 loop, the way episode.html printed it before: byte for byte, for any
turns, hostile text and link included."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from stationcast.build.episode import turn_views
from stationcast.pages import (
    TurnView,
    episodes_html,
    format_timestamp,
    make_environment,
    turns_html,
)
from stationcast.transcripts import INTRO_KEY, Segment, Transcript

# The loop episode.html used, with its media-fragment links for timed turns (an audio link that
# is only a fragment, like "#", has no media to seek: the turn links to its own anchor). A line
# ending in a backslash goes on in the next one: the template has no line break there.
LOOP = """{% macro seconds(iso) %}\
{% set h, m, s = iso[2:-1].replace("H", ":").replace("M", ":").split(":") %}\
{{ h | int * 3600 + m | int * 60 + s | int }}{% endmacro %}\
{% for turn in turns %}\
<div class="turn{% if turn.kind == 'nonspeech' %} nonspeech{% endif %}"\
{% if turn.anchor %} id="{{ turn.anchor }}"{% endif %}>
{% if turn.speaker %}<cite class="speaker"><bdi>{{ turn.speaker }}</bdi>:</cite>
{% endif %}{% if turn.time %}<a class="time" href="\
{% if (audio_href | safe_url).split("#")[0] %}\
{{ (audio_href | safe_url).split("#")[0] }}#t={{ seconds(turn.time.datetime) }}\
{% else %}#{{ turn.anchor }}{% endif %}">\
<span class="visually-hidden">Listen from </span>\
<time datetime="{{ turn.time.datetime }}">{{ turn.time.text }}</time></a>
{% endif %}{% for para in turn.paragraphs %}<p dir="auto">{% for kind, text in para %}\
{% if kind == "nonspeech" %}<span class="cue" dir="auto">{{ text }}</span>\
{% else %}{{ text }}{% endif %}{% endfor %}</p>
{% endfor %}</div>
{% endfor %}"""

HOSTILE = [
    "<script>alert(1)</script>",
    '" onmouseover="x',
    "'",
    "&amp;",
    "R&D",
    "\u202e",
    "é",
    "(LAUGHTER)",
]
text = st.one_of(st.text(max_size=12), st.sampled_from(HOSTILE))
run = st.tuples(st.sampled_from(["speech", "nonspeech"]), text)


@st.composite
def turn(draw: st.DrawFn) -> TurnView:
    start = draw(st.none() | st.floats(min_value=0, max_value=40_000, allow_nan=False))
    time = anchor = None
    if start is not None:
        shown, iso = format_timestamp(start)
        time = {"text": shown, "datetime": iso}
        anchor = f"t{int(start)}-{draw(st.integers(1, 500))}"
    return TurnView(
        speaker=draw(st.sampled_from(["", "Peter Neumann"]) | text),
        paragraphs=draw(st.lists(st.lists(run, max_size=4), max_size=4)),
        anchor=anchor or "",
        time=time,
        kind=draw(st.sampled_from(["speech", "nonspeech"])),
    )


HREFS = st.sampled_from(
    [
        "audio.mp3",
        "audio.mp3#t=5",
        "javascript:alert(1)",
        "",
        "https://cdn.example/a b.mp3",
        'a"b.mp3',
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(turn(), max_size=5), HREFS | text)
@example(  # a timed turn with an audio link that is only a fragment: the turn's own anchor
    [TurnView("", [], "t0-1", {"text": "0:00", "datetime": "PT0H0M0S"})], "#"
)
def test_turns_html_matches_the_template_loop(turns: list[TurnView], audio_href: str) -> None:
    expected = make_environment().from_string(LOOP).render(turns=turns, audio_href=audio_href)
    assert str(turns_html(turns, audio_href)) == expected


def test_turns_html_escapes_text_and_refuses_script_links() -> None:
    shown, iso = format_timestamp(62)
    turns = [
        TurnView(
            "<b>A</b>",
            [[("speech", "x < y & z"), ("nonspeech", "(<i>)")]],
            "t62-1",
            {"text": shown, "datetime": iso},
        )
    ]
    html = str(turns_html(turns, "javascript:alert(1)"))
    assert "<b>" not in html and "<i>" not in html and "&lt;b&gt;A&lt;/b&gt;" in html
    assert "x &lt; y &amp; z" in html
    assert 'href="#t62-1"' in html and "javascript" not in html
    assert 'href="audio.mp3#t=62"' in str(turns_html(turns, "audio.mp3#t=3"))


segment = st.builds(
    Segment,
    text=st.sampled_from(["Hello.", "(LAUGHTER)", "Yes (LAUGHTER) no."]),
    speaker=st.sampled_from([None, "A", "B"]),
    start=st.none() | st.floats(min_value=0, max_value=5000, allow_nan=False),
    kind=st.sampled_from(["speech", "nonspeech"]),
    new_turn=st.booleans(),
    intro=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(segment, max_size=12),
    st.dictionaries(st.sampled_from(["A", INTRO_KEY]), st.just("Full Name")),
)
def test_page_turns_group_as_the_transcript_does(
    segments: list[Segment], names: dict[str, str]
) -> None:
    """The page's inline grouping (episode.turn_views) gives Transcript.turns(), turn by turn."""
    transcript = Transcript(tuple(segments))
    views = turn_views(transcript, names)
    turns = transcript.turns()
    assert len(views) == len(turns)
    for number, (view, turn) in enumerate(zip(views, turns, strict=True), start=1):
        assert view.kind == turn.kind
        assert [len(p) >= 1 for p in view.paragraphs] == [True] * len(turn.segments)
        assert ["".join(t for _, t in p) for p in view.paragraphs] == [
            s.text for s in turn.segments
        ]
        expected = (
            names.get(turn.speaker, turn.speaker)
            if turn.speaker
            else (names.get(INTRO_KEY, "") if turn.intro else "")
        )
        assert view.speaker == expected
        assert view.anchor == ("" if turn.start is None else f"t{int(turn.start)}-{number}")


# The loop show.html used for its episode list.
EPISODES_LOOP = """{% for item in episodes %}<li>
<h3 dir="auto"><a href="{{ item.href | safe_url }}">{{ item.title }}</a></h3>
<p class="meta"><time datetime="{{ item.datetime }}">{{ item.date_text }}</time>\
{% if item.duration_text %}<span aria-hidden="true"> · </span>\
<span class="visually-hidden">, </span>\
<time datetime="{{ item.duration_iso }}">{{ item.duration_text }}</time>{% endif %}</p>
<p dir="auto">{{ item.summary }}</p>
</li>
{% endfor %}"""

listing = st.fixed_dictionaries(
    {
        "href": st.sampled_from(["seg-1/", "javascript:alert(1)", 'a"b/']) | text,
        "title": text,
        "datetime": st.sampled_from(["2015-09-22T17:00:00+00:00"]) | text,
        "date_text": text,
        "duration_text": st.sampled_from(["", "3 min 43 sec"]) | text,
        "duration_iso": st.sampled_from(["", "PT3M43S"]) | text,
        "summary": text,
    }
)


@settings(max_examples=200, deadline=None)
@given(st.lists(listing, max_size=5))
def test_episodes_html_matches_the_template_loop(episodes: list[dict[str, str]]) -> None:
    expected = make_environment().from_string(EPISODES_LOOP).render(episodes=episodes)
    assert str(episodes_html(episodes)) == expected
