"""The rule catalogue and the result types: Rule, Finding, Report.

Every check in this package reports through a rule id listed in RULES; RULES.md is generated
from this table (`python -m stationcast.validate.rules > src/stationcast/validate/RULES.md`).
"""

from __future__ import annotations

import html

from .rule_types import PROFILES, SEVERITIES, Finding, Report, Rule, Severity
from .rules_feed import FEED_RULES
from .rules_items import ITEM_RULES
from .rules_net import NET_RULES
from .rules_podcast import PODCAST_RULES
from .rules_structure import STRUCTURE_RULES

_R: list[Rule] = [*FEED_RULES, *ITEM_RULES, *STRUCTURE_RULES, *PODCAST_RULES, *NET_RULES]


RULES: dict[str, Rule] = {r.id: r for r in _R}
assert len(RULES) == len(_R), "duplicate rule id"


def rules_for_profile(profile: str) -> list[Rule]:
    platforms = PROFILES[profile]
    return [r for r in RULES.values() if platforms.intersection(r.platforms)]


def rules_markdown() -> str:
    """The rule catalogue as Markdown (RULES.md)."""
    lines = [
        "# `stationcast validate` rules",
        "",
        "Generated from `src/stationcast/validate/rules.py` by "
        "`python -m stationcast.validate.rules > src/stationcast/validate/RULES.md`; "
        "edit the table there, not this file.",
        "",
        "## Usage",
        "",
        "```",
        "stationcast validate [FEED]            # a file or an http(s) URL; default feeds/feed.xml",
        "  --profile apple|spotify|psp1|all|rss # which platforms' rules (default all; rss: "
        "RSS 2.0 alone)",
        "  --format text|json|github|junit      # readable report, machines, CI annotations",
        "  --strict                             # warnings fail too",
        "  --remote/--no-remote                 # HTTP checks of linked files (default: URLs only)",
        "  --allow-private                      # the host given may be private (127.0.0.1, …)",
        "  --state PATH                         # the build's state file: GUIDs must not change",
        "  --local-root DIR                     # files under the feed's URL (default: its folder)",
        "  --remote-items N                     # items checked over HTTP (default: the first 5)",
        "  --timeout SECONDS                    # per HTTP request, in all (default 20)",
        "  --list-rules                         # this catalogue",
        "```",
        "",
        "Exit status: 0 no errors (with `--strict`: no warnings either), 1 errors, "
        "2 usage problem. "
        "A feed file's folder is its local root: URLs under the directory of the feed's "
        '`atom:link rel="self"` map to files there, so artwork bytes, enclosure sizes, '
        "transcripts and chapters are checked offline. Untrusted input is handled safely: no "
        "DTDs or entities (a DOCTYPE declaring entities is refused unread), a 64 MB cap (also "
        "after gzip), http/https only, at most 5 redirects each re-checked (a loop is "
        "reported at once), and control characters from the feed escaped in every report.",
        "",
        "Network limits (the same client as `stationcast import`, `stationcast/net.py`): "
        "`--timeout` is one deadline for the whole request — looking up the host, connecting, "
        "TLS, headers, body and redirects together — so a server that sends a byte a second "
        "is cut off when it is up; each of the remote checks (HEAD, Range, GET of artwork, "
        "enclosures, transcripts, chapters; 8 at a time) gets its own. Each hop's host is "
        "resolved once, every address it resolves to is checked, and the connection goes to "
        "the checked address (TLS still verifies the host name). Loopback, private, "
        "link-local, shared (CGNAT), multicast, reserved and unspecified addresses are "
        "refused in every spelling (IPv4-mapped, 6to4, NAT64 too). `--allow-private` allows "
        "them for one host: the host of the URL given (for a file with `--remote`, the host "
        'of its `atom:link rel="self"`). A redirect or a link to *another* private host is '
        "still refused, and cloud metadata addresses (169.254.169.254, …) always are: you "
        "vouch for the server you named, not for where it or its feed sends the checker, so "
        "a feed on your network cannot make `validate` reach the rest of it. A gzip or "
        "deflate body is capped after decoding (a gzip bomb stops at the cap); a body shorter "
        "than its Content-Length, a truncated gzip stream or an encoding not asked for is a "
        "`http.fetch` error.",
        "",
        "Library: `stationcast.validate.validate_bytes(data, location=…, profile=…, "
        "local_root=…, previous_state=…, remote=False, allow_private=False)` and "
        "`validate_source(path_or_url, …)` return a `Report` (`findings`, `errors`, "
        "`warnings`, `ok(strict=False)`); each `Finding` has `rule`, `message`, `line`, "
        "`element`.",
        "",
        "## Rules",
        "",
        f"{len(RULES)} rules. Severity: **error** fails validation (exit 1, and `build` refuses "
        "the feed); **warning** fails only with `--strict`; **info** never fails. "
        "`--profile` selects rules by platform: "
        + "; ".join(f"`{p}` = {', '.join(sorted(v))}" for p, v in PROFILES.items())
        + ". Each source is the specification, platform document or repository itself.",
        "",
        "| id | severity | platforms | what it checks | how to fix | source |",
        "|---|---|---|---|---|---|",
    ]

    def cell(s: str) -> str:
        return html.escape(s, quote=False).replace("|", "\\|")

    for r in RULES.values():
        lines.append(
            f'| <a id="{r.id}"></a>`{r.id}` | {r.severity} | {", ".join(r.platforms)} '
            f"| {cell(r.summary)} "
            f"| {cell(r.hint)} | {cell(r.source)} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(rules_markdown(), end="")


__all__ = [
    "PROFILES",
    "RULES",
    "SEVERITIES",
    "Finding",
    "Report",
    "Rule",
    "Severity",
    "rules_for_profile",
    "rules_markdown",
]
