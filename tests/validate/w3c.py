"""The W3C Feed Validator's RSS 2.0 and iTunes testcases, read the way the conformance test
(test_w3c.py) compares them with `stationcast validate`.

The testcases are XML files from github.com/w3c/feedvalidator (`testcases/rss20/` and
`testcases/ext/itunes/`, W3C Software Notice and License), each naming in a comment the
message the W3C validator must (`Expect: Name{element:…}`) or must not (`!Name`) give. They
are not part of this repository: put a checkout's `testcases/` folder at
`../shared/w3c-feedvalidator/testcases` (beside the repository, as CI sees shared/) or name
it in STATIONCAST_W3C_TESTCASES.

A case agrees when `validate` (profile all, "now" 2030-01-01) gives a finding on the element
the expectation names (for a must-raise case, also one on its parent by a rule named for it:
`rss.channel.title` on <channel>), or for a feed-wide expectation a finding of an RSS-level
rule anywhere: an error or warning for a must-raise case, no error for a must-not-raise one.
Only the first expectation naming a message class below counts.

Measure: uv run python -m tests.validate.w3c [TESTCASES]
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from stationcast.validate import Report, validate_bytes

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT.parent / "shared" / "w3c-feedvalidator" / "testcases"
SUITES = ("rss20", "ext/itunes")
GAPS = Path(__file__).parent / "w3c_gaps.txt"
NOW = datetime(2030, 1, 1, tzinfo=UTC)

#: The W3C validator's message classes these testcases name, by kind (its
#: src/feedvalidator/logging.py: subclasses of Error, Warning and Info).
W3C_ERRORS = frozenset(
    {
        "DuplicateElement",
        "DuplicateValue",
        "EightDaysAWeek",
        "Error",
        "InvalidBooleanAttribute",
        "InvalidContact",
        "InvalidDay",
        "InvalidDuration",
        "InvalidFormComponentName",
        "InvalidFullLink",
        "InvalidHeight",
        "InvalidHour",
        "InvalidHttpGUID",
        "InvalidInteger",
        "InvalidIntegerAttribute",
        "InvalidItunesCategory",
        "InvalidItunesChannelType",
        "InvalidItunesEpisodeType",
        "InvalidLanguage",
        "InvalidLink",
        "InvalidMIMEAttribute",
        "InvalidNonNegativeInteger",
        "InvalidPermalink",
        "InvalidPositiveInteger",
        "InvalidRFC2822Date",
        "InvalidTrueFalse",
        "InvalidURLAttribute",
        "InvalidWidth",
        "InvalidYesNoClean",
        "ItemMustContainTitleOrDescription",
        "MissingAttribute",
        "MissingDescription",
        "MissingElement",
        "MissingLink",
        "MissingTitle",
        "NotEnoughHoursInTheDay",
        "NotInANamespace",
        "SAXError",
        "TooLong",
        "UndefinedElement",
        "UnexpectedAttribute",
        "UnexpectedText",
        "UriNotIri",
    }
)
W3C_WARNINGS = frozenset(
    {
        "AvoidTextInput",
        "CharacterData",
        "ContainsHTML",
        "ContainsRelRef",
        "DuplicateDescriptionSemantics",
        "DuplicateEnclosure",
        "EmailFormat",
        "ImageLinkDoesntMatch",
        "ImageTitleDoesntMatch",
        "ImageUrlFormat",
        "ImplausibleDate",
        "InvalidKeywords",
        "MisplacedItem",
        "MissingGuid",
        "MissingItunesElement",
        "MissingItunesEmail",
        "MissingRealName",
        "MissingSelf",
        "NeedDescriptionBeforeContent",
        "NotBlank",
        "NotSufficientlyUnique",
        "NotUTF8",
        "ObsoleteItunesCategory",
        "ProblematicalRFC822Date",
        "SchemeNotIANARegistered",
        "SecurityRisk",
        "SlashDate",
        "UnsupportedItunesFormat",
        "UseOfExtensionAttr",
        "UseZeroForMidnight",
    }
)
W3C_INFOS = frozenset({"MissingDCLanguage"})

_EXPECT = re.compile(r"Expect:\s*(.*)")
_ITEM = re.compile(r"(!?)(\w+)(?:\{([^}]*)\})?")


@dataclass(frozen=True)
class Case:
    path: str  # relative to the testcases folder
    message: str  # the W3C message class
    element: str | None
    must_raise: bool
    parent: str | None = None


def testcases_dir() -> Path | None:
    given = os.environ.get("STATIONCAST_W3C_TESTCASES")
    folder = Path(given) if given else DEFAULT
    return folder if folder.is_dir() else None


def expectation(data: bytes, path: str) -> Case | None:
    m = _EXPECT.search(data[:2000].decode("utf-8", "replace"))
    if m is None:
        return None
    for neg, name, attrs in _ITEM.findall(m.group(1)):
        if name not in W3C_ERRORS and name not in W3C_WARNINGS and name not in W3C_INFOS:
            continue
        fields = dict(a.split(":", 1) for a in attrs.split(",") if ":" in a)
        raise_ = not neg and name not in W3C_INFOS
        return Case(path, name, fields.get("element"), raise_, fields.get("parent"))
    return None


def cases(folder: Path) -> list[tuple[Case, bytes]]:
    out = []
    for suite in SUITES:
        for p in sorted((folder / suite).rglob("*.xml")):
            data = p.read_bytes()
            case = expectation(data, p.relative_to(folder).as_posix())
            if case is not None:
                out.append((case, data))
    return out


def agrees(case: Case, report: Report) -> bool:
    el = case.element.lower().rpartition(":")[2] if case.element else None
    parent = case.parent.lower().rpartition(":")[2] if case.parent else None

    def relevant(rule_id: str, platforms: tuple[str, ...], element: str | None) -> bool:
        if el is None or rule_id.startswith("xml."):
            return "rss" in platforms
        found = (element or "").lower().rpartition(":")[2]
        # A finding on the element, or about it from its parent (rss.channel.title on
        # <channel>, rss.image.parts on <image>).
        if found == el:
            return True
        # For a must-raise case only: a finding about the element from its parent.
        return case.must_raise and found == parent and el in rule_id.split(".")

    hits = [f for f in report.findings if relevant(f.rule.id, f.rule.platforms, f.element)]
    if case.must_raise:
        return any(f.severity in ("error", "warning") for f in hits)
    return not any(f.severity == "error" for f in hits)


def disagreements(folder: Path) -> tuple[list[Case], list[str]]:
    """Every case, and the paths of those where validate disagrees."""
    all_cases = []
    gaps = []
    for case, data in cases(folder):
        all_cases.append(case)
        if not agrees(case, validate_bytes(data, location=case.path, now=NOW)):
            gaps.append(case.path)
    return all_cases, gaps


def known_gaps() -> list[str]:
    lines = GAPS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else testcases_dir()
    if folder is None:
        sys.exit(f"no testcases folder: put it at {DEFAULT} or pass it")
    all_cases, gaps = disagreements(folder)
    missed = set(gaps)
    for must, label in ((True, "must-raise"), (False, "must-not-raise")):
        group = [c for c in all_cases if c.must_raise is must]
        agree = sum(1 for c in group if c.path not in missed)
        print(f"{label}: {agree} of {len(group)} agree")
    if "--write-gaps" in sys.argv:
        header = [
            line for line in GAPS.read_text(encoding="utf-8").splitlines() if line.startswith("#")
        ]
        GAPS.write_text("\n".join([*header, *gaps]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
