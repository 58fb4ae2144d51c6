"""Per-show template overrides (episodes/templates/), and docs/pages.md kept in step with the
templates."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import jinja2.meta
import lxml.html
import pytest

from pages.shows import MakeShow
from stationcast.errors import BuildError
from stationcast.pages import TEMPLATE_NAMES, make_environment
from support import REPO

DOCS = REPO / "docs" / "pages.md"


def test_an_override_can_extend_the_original_and_replace_one_block(make_show: MakeShow) -> None:
    override = (
        '{% extends "stationcast/episode.html" %}\n'
        '{% block credits %}<p class="who">Heard: '
        "{{ credits | map(attribute='name') | join(', ') }}</p>{% endblock %}\n"
    )
    out = make_show(templates={"episode.html": override})
    doc = lxml.html.fromstring((out / "segment" / "index.html").read_bytes())
    assert doc.xpath("string(//p[@class='who'])") == "Heard: Kelly McEvers, Peter Neumann"
    assert doc.xpath("//ul[@class='credits']") == []
    assert len(doc.xpath("//h1")) == 1 and doc.xpath("//footer/address")  # the rest is intact
    # The show page is untouched.
    show = lxml.html.fromstring((out / "index.html").read_bytes())
    assert show.xpath("//ul[@class='episodes']")


def test_an_overriding_stylesheet_is_copied_as_written(make_show: MakeShow) -> None:
    css = "body { color: #000; } /* {{ not a template }} */\n"
    out = make_show(templates={"style.css": css})
    assert (out / "style.css").read_text("utf-8") == css


def test_overrides_are_escaped_too(make_show: MakeShow) -> None:
    """A show's own .html templates get the same autoescaping as the built-in ones."""
    out = make_show(
        templates={
            "show.html": '{% extends "stationcast/show.html" %}{% block intro %}'
            "<p id=x>{{ show.description }}</p>{% endblock %}"
        },
        description="<script>alert(1)</script>",
    )
    raw = (out / "index.html").read_text("utf-8")
    assert "<p id=x>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in raw


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("<p>{{ no_such_variable }}</p>\n", r"episode\.html:1: 'no_such_variable' is undefined"),
        ("<p>ok</p>\n{% if %}\n", r"episode\.html:2: template error: "),
        ('{% extends "stationcast/nope.html" %}', r"nope\.html"),
    ],
)
def test_a_broken_override_fails_the_build_naming_file_and_line(
    make_show: MakeShow, template: str, message: str
) -> None:
    with pytest.raises(BuildError, match=message):
        make_show(templates={"episode.html": template})


def test_a_failed_build_leaves_no_output(make_show: MakeShow, tmp_path: Path) -> None:
    with pytest.raises(BuildError):
        make_show(templates={"show.html": "{{ nope }}"})
    assert not list(tmp_path.glob("show*/feeds"))


def _template_variables() -> dict[str, set[str]]:
    env = make_environment(None)
    assert env.loader is not None
    found = {}
    for name in TEMPLATE_NAMES:
        if name.endswith(".html"):
            source = env.loader.get_source(env, name)[0]
            found[name] = jinja2.meta.find_undeclared_variables(env.parse(source))
    return found


@pytest.mark.parametrize("name", [n for n in TEMPLATE_NAMES if n.endswith(".html")])
def test_docs_list_every_variable_each_template_uses(name: str) -> None:
    """docs/pages.md (pasted into the README) names every template and every variable the
    templates read, so a show's override can rely on them."""
    docs = DOCS.read_text("utf-8")
    assert f"`{name}`" in docs
    documented = set(re.findall(r"`([a-z_]+)`", docs))
    missing = _template_variables()[name] - documented
    assert not missing, f"undocumented variables of {name}: {sorted(missing)}"


def test_docs_list_every_block() -> None:
    docs = DOCS.read_text("utf-8")
    env = make_environment(None)
    assert env.loader is not None
    for name in TEMPLATE_NAMES:
        if name.endswith(".html"):
            source = env.loader.get_source(env, name)[0]
            for block in re.findall(r"{%-?\s*block\s+(\w+)", source):
                assert f"`{block}`" in docs, f"block {block} of {name} is not in docs/pages.md"
