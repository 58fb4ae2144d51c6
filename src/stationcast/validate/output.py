"""Render a Report as text, JSON, GitHub annotations or JUnit XML."""

from __future__ import annotations

import json
from collections.abc import Callable

from lxml import etree

from .rules import RULES, SEVERITIES, Report, Rule
from .text import safe

#: Text output shows at most this many findings per rule, then a count of the rest.
TEXT_PER_RULE = 20

Style = Callable[..., str]


def _plain(text: str, **_kw: object) -> str:
    return text


_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Info"}


def _where(report: Report, line: int | None) -> str:
    loc = safe(report.location)
    return f"{loc}:{line}" if line else loc


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(report: Report) -> str:
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in SEVERITIES}
    return (
        f"{safe(report.location)}: {_plural(counts['error'], 'error')}, "
        f"{_plural(counts['warning'], 'warning')}, {counts['info']} info "
        f"({report.items} items, profile {report.profile})"
    )


def format_text(report: Report, style: Style = _plain, hints: bool = True) -> str:
    out: list[str] = []
    for severity in SEVERITIES:
        group = [f for f in report.findings if f.severity == severity]
        if not group:
            continue
        out.append(style(f"{_TITLES[severity]} ({len(group)})", fg=_COLOURS[severity], bold=True))
        shown: dict[str, int] = {}
        for f in group:
            n = shown.get(f.rule.id, 0) + 1
            shown[f.rule.id] = n
            if n > TEXT_PER_RULE:
                continue
            rule = style(f.rule.id, fg=_COLOURS[severity])
            out.append(f"  {_where(report, f.line)}: {rule}: {safe(f.message)}")
            if hints and n == 1:
                out.append(style(f"      hint: {f.rule.hint}", dim=True))
                out.append(style(f"      rule: {f.rule.doc}", dim=True))
        for rule_id, n in shown.items():
            if n > TEXT_PER_RULE:
                out.append(
                    f"  … and {n - TEXT_PER_RULE} more {rule_id} (see --format json for all)"
                )
        out.append("")
    out.append(style(summary(report), bold=True))
    return "\n".join(out) + "\n"


def format_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=True) + "\n"


def _gh_data(s: str) -> str:
    return safe(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def format_github(report: Report) -> str:
    """GitHub Actions workflow commands: ::error file=F,line=L,title=RULE::message."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for f in report.findings:
        props = [f"file={_gh_prop(report.location)}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_gh_prop(f.rule.id)}")
        text = "%0A".join(
            _gh_data(part)
            for part in (f"{f.rule.id}: {f.message}", f"Fix: {f.rule.hint}", f"Rule: {f.rule.doc}")
        )
        lines.append(f"::{level[f.severity]} {','.join(props)}::{text}")
    return "\n".join(lines) + ("\n" if lines else "")


def format_junit(report: Report) -> str:
    """JUnit XML: one test case per rule that ran in the profile; failures for errors/warnings."""
    from .rules import rules_for_profile

    by_rule: dict[str, list[str]] = {}
    for f in report.findings:
        where = f"{report.location}:{f.line}" if f.line else report.location
        by_rule.setdefault(f.rule.id, []).append(f"{where}: {f.message}")
    cases = rules_for_profile(report.profile)
    failures = sum(1 for r in cases if r.id in by_rule and r.severity != "info")
    suite = etree.Element(
        "testsuite",
        name=f"stationcast validate {safe(report.location)}",
        tests=str(len(cases)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for rule in cases:
        case = etree.SubElement(
            suite, "testcase", classname=f"validate.{rule.platforms[0]}", name=rule.id
        )
        msgs = by_rule.get(rule.id)
        if not msgs:
            continue
        body = "\n".join(safe(m) for m in msgs)
        if rule.severity == "info":
            out = etree.SubElement(case, "system-out")
            out.text = body
        else:
            fail = etree.SubElement(
                case, "failure", message=safe(msgs[0])[:500], type=rule.severity
            )
            fail.text = body
    suites = etree.Element("testsuites")
    suites.append(suite)
    xml: bytes = etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml.decode()


def format_rules(rules: list[Rule] | None = None) -> str:
    rules = list(RULES.values()) if rules is None else rules
    width = max(len(r.id) for r in rules)
    lines = [
        f"{r.id:<{width}}  {r.severity:<7}  {','.join(r.platforms):<28}  {r.summary}" for r in rules
    ]
    lines.append(f"\n{len(rules)} rules")
    return "\n".join(lines) + "\n"


FORMATTERS: dict[str, Callable[[Report], str]] = {
    "json": format_json,
    "github": format_github,
    "junit": format_junit,
}
