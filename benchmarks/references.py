"""Reference costs on the benchmark corpus (run by run.py, each in its own process).

references.py feedgen FEED.xml      feedgen alone writing a feed with the same items
references.py jinja2 SHOW           Jinja2 alone rendering one page per transcript (one core)
references.py hugo-site SHOW SITE   write the transcripts as a Hugo Markdown site (not timed)
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

LABEL = re.compile(r"^([A-Z][A-Z .'\-]+):\s*(.*)$", re.S)


def turns(path: Path) -> list[tuple[str, str]]:
    out = []
    for para in path.read_text().split("\n\n"):
        m = LABEL.match(para)
        out.append((m.group(1), m.group(2)) if m else ("", para))
    return out


def feedgen_alone(feed: Path) -> None:
    from feedgen.feed import FeedGenerator
    from lxml import etree

    ns = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
    channel = etree.parse(str(feed)).getroot()[0]
    items = [
        {
            "title": i.findtext("title"),
            "link": i.findtext("link"),
            "guid": i.findtext("guid"),
            "description": i.findtext("description"),
            "pubDate": i.findtext("pubDate"),
            "enclosure": dict(i.find("enclosure").attrib),
            "duration": i.findtext("itunes:duration", namespaces=ns),
        }
        for i in channel.iter("item")
    ]
    start = time.perf_counter()
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.title(channel.findtext("title"))
    fg.link(href=channel.findtext("link"), rel="alternate")
    fg.description(channel.findtext("description"))
    fg.language("en-us")
    for item in items:
        e = fg.add_entry(order="append")
        e.guid(item["guid"], permalink=False)
        e.title(item["title"])
        e.link(href=item["link"])
        e.description(item["description"])
        e.pubDate(item["pubDate"])
        enc = item["enclosure"]
        e.enclosure(enc["url"], enc["length"], enc["type"])
        e.podcast.itunes_duration(item["duration"])
    data = fg.rss_str(pretty=True)
    Path("ref-feed.xml").write_bytes(data)
    print(
        f"feedgen: {len(items)} items, {len(data):,} bytes in {time.perf_counter() - start:.2f} s"
    )


PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>'
    "</head>\n"
    '<body><main><h1>{{ title }}</h1><p>{{ summary }}</p><audio controls src="audio.mp3"></audio>\n'
    "<ul>{% for c in credits %}<li>{{ c }}</li>{% endfor %}</ul>\n"
    '<section>{% for speaker, text in turns %}<div class="turn">{% if speaker %}'
    '<p class="speaker">{{ speaker }}</p>{% endif %}\n'
    "<p>{{ text }}</p></div>\n"
    "{% endfor %}</section></main></body></html>\n"
)


def jinja2_alone(show: Path) -> None:
    import jinja2

    env = jinja2.Environment(autoescape=True)
    template = env.from_string(PAGE)
    pages = [(p.parent.name, turns(p)) for p in sorted(show.glob("*/transcript.txt"))]
    start = time.perf_counter()
    total = 0
    for slug, t in pages:
        total += len(template.render(title=slug, summary="", credits=["a", "b"], turns=t))
    print(
        f"jinja2: {len(pages)} pages, {total:,} characters in {time.perf_counter() - start:.2f} s"
    )


def hugo_site(show: Path, site: Path) -> None:
    (site / "content").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://podcasts.example.org/"\ntitle = "Benchmark"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
    )
    (site / "layouts" / "_default" / "single.html").write_text(
        "<!doctype html><html><head><title>{{ .Title }}</title></head>"
        "<body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n"
    )
    (site / "layouts" / "_default" / "list.html").write_text(
        "<!doctype html><html><body><ul>{{ range .Pages }}"
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n'
    )
    for path in sorted(show.glob("*/transcript.txt")):
        body = "\n\n".join(f"**{s}:** {t}" if s else t for s, t in turns(path))
        (site / "content" / f"{path.parent.name}.md").write_text(
            f'---\ntitle: "{path.parent.name}"\n---\n\n{body}\n'
        )


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "feedgen":
        feedgen_alone(Path(sys.argv[2]))
    elif what == "jinja2":
        jinja2_alone(Path(sys.argv[2]))
    else:
        hugo_site(Path(sys.argv[2]), Path(sys.argv[3]))
