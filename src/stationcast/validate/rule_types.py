"""The rule catalogue's types (Rule, Finding, Report, the profiles) and the sources the rules
cite.

rules.py assembles the catalogue from the rules_*.py modules, one a topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

#: Which platforms each --profile covers. "rss" rules (XML, RSS 2.0, HTTP basics) are in all.
PROFILES: dict[str, frozenset[str]] = {
    "apple": frozenset({"rss", "apple"}),
    "spotify": frozenset({"rss", "spotify"}),
    "psp1": frozenset({"rss", "psp1", "podcastindex"}),
    "all": frozenset({"rss", "apple", "spotify", "psp1", "podcastindex"}),
    # RSS 2.0 alone, without any podcast platform's requirements: the judgement of a general
    # feed validator such as the W3C's, for comparing the two.
    "rss": frozenset({"rss"}),
}


#: The rule catalogue in the repository; each rule has an anchor there named by its id.
RULES_DOC = "src/stationcast/validate/RULES.md"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    platforms: tuple[str, ...]
    summary: str
    hint: str
    source: str

    @property
    def doc(self) -> str:
        """Where the rule is described, with its source: `RULES.md#<id>`."""
        return f"{RULES_DOC}#{self.id}"


@dataclass(frozen=True)
class Finding:
    """One rule that fired: where (line, element) and what exactly was wrong (message).

    `message` is safe to print: untrusted text in it has control characters escaped.
    """

    rule: Rule
    message: str
    line: int | None = None
    element: str | None = None

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.rule.id}: {self.message}"


@dataclass
class Report:
    findings: list[Finding]
    location: str
    profile: str = "all"
    items: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.rule.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.rule.severity == "warning"]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.rule.severity == "info"]

    def ok(self, strict: bool = False) -> bool:
        """No errors (and, when strict, no warnings either)."""
        if strict:
            return not any(f.rule.severity in ("error", "warning") for f in self.findings)
        return not any(f.rule.severity == "error" for f in self.findings)

    def describe(self, finding: Finding) -> str:
        """GNU-style one-liner: `feed.xml:12: apple.image.size: message`."""
        where = f"{self.location}:{finding.line}" if finding.line else self.location
        return f"{where}: {finding.rule.id}: {finding.message}"

    def rule_ids(self) -> set[str]:
        return {f.rule.id for f in self.findings}

    def to_dict(self) -> dict[str, object]:
        return {
            "location": self.location,
            "profile": self.profile,
            "items": self.items,
            "ok": self.ok(),
            "counts": {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES},
            "findings": [
                {
                    "rule": f.rule.id,
                    "severity": f.rule.severity,
                    "platforms": list(f.rule.platforms),
                    "message": f.message,
                    "line": f.line,
                    "element": f.element,
                    "hint": f.rule.hint,
                    "doc": f.rule.doc,
                    "source": f.rule.source,
                }
                for f in self.findings
            ],
        }


# Sources, cited by every rule: the specifications, platform documents and repositories
# themselves (each with its URL or repository path), so RULES.md can be checked against them.
_PN_REPO = "github.com/Podcastindex-org/podcast-namespace"
A1 = "Apple, A Podcaster's Guide to RSS (help.apple.com/itc/podcasts_connect/#/itcb54353390)"
A2 = "Apple, Podcast RSS feed requirements (podcasters.apple.com/support/823-podcast-requirements)"
A3 = "Apple, Technical updates for hosting providers, 2022 (podcasters.apple.com/4115)"
A4 = "Apple, Transcripts on Apple Podcasts (podcasters.apple.com/support/5316)"
PSP1 = (
    "PSP-1 The Podcast RSS Standard "
    "(github.com/Podcast-Standards-Project/PSP-1-Podcast-RSS-Specification)"
)
RSS2 = "RSS 2.0 specification (rssboard.org/rss-specification)"
XML10 = "XML 1.0 (w3.org/TR/xml)"
W3C = "W3C Feed Validator (github.com/w3c/feedvalidator)"
SPOT = "Spotify reads the iTunes RSS format (support.spotify.com podcast-specification-doc)"
LXML = "lxml FAQ, using lxml safely with untrusted input (github.com/lxml/lxml doc/FAQ.txt)"
LIBXML2 = (
    "libxml2 parser limits XML_MAX_TEXT_LENGTH and xmlParserMaxDepth, lifted only by "
    "XML_PARSE_HUGE (gitlab.gnome.org/GNOME/libxml2 include/libxml/parserInternals.h)"
)
HTTP = "RFC 9110 HTTP semantics (rfc-editor.org/rfc/rfc9110)"
RFC5005 = "RFC 5005 Feed Paging and Archiving (rfc-editor.org/rfc/rfc5005)"
SSRF = (
    "Stringer advisory GHSA-496x-437q-h35q: scheme allow-list and the connected address "
    "checked on every redirect (github.com/stringer-rss/stringer/pull/1548)"
)
HTML_ALT = (
    "WHATWG HTML, rel=alternate feed discovery "
    "(html.spec.whatwg.org/multipage/links.html#rel-alternate)"
)
SPOTIFY_DELETE = (
    "Spotify, Deleting an episode: removing an item from the RSS feed removes it downstream "
    "(support.spotify.com/podcasters/article/deleting-an-episode/)"
)


def _pn(tag: str) -> str:
    return f"Podcasting 2.0 namespace, docs/tags/{tag}.md ({_PN_REPO})"


PN = f"Podcasting 2.0 namespace, docs/1.0.md ({_PN_REPO})"
PN_TR = f"Podcasting 2.0 namespace, docs/examples/transcripts/transcripts.md ({_PN_REPO})"
PN_CH = f"Podcasting 2.0 namespace, docs/examples/chapters/jsonChapters.md, v1.2 ({_PN_REPO})"
PN_OTHER = f"Podcasting 2.0 namespace, docs/other-recommendations.md ({_PN_REPO})"
STATE = f"{PN_OTHER}: a GUID never changes"

ALL_DIRS = ("apple", "spotify", "psp1", "podcastindex")
