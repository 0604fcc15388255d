"""The Vietnamese catalogue is complete: every message translated, none fuzzy, placeholders kept."""

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "congdoan" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\{ *\w+ *\}\}|%s")


def entries() -> list[tuple[str, list[str], bool]]:
    """(msgid, [msgstr...], fuzzy) for every entry but the header."""
    out = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = "#, fuzzy" in block
        strings: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if m:
                key = m.group(1)
                strings[key] = m.group(2)
            elif line.startswith('"') and key:
                strings[key] += line[1:-1]
        if strings.get("msgid"):
            msgstrs = [v for k, v in strings.items() if k.startswith("msgstr")]
            out.append((strings["msgid"], msgstrs, fuzzy))
    return out


def test_every_message_is_translated() -> None:
    found = entries()
    assert len(found) > 250
    missing = [msgid for msgid, msgstrs, fuzzy in found if fuzzy or not all(msgstrs)]
    assert missing == []


def test_placeholders_are_kept() -> None:
    wrong = [
        msgid
        for msgid, msgstrs, _fuzzy in entries()
        for msgstr in msgstrs
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    ]
    assert wrong == []


def test_every_marked_string_is_in_the_catalogue() -> None:
    """Strings marked for translation in the code and templates all have an entry (a guard
    against forgetting `make messages`); multi-line and block strings are left to makemessages."""
    base = Path(settings.BASE_DIR) / "congdoan"
    known = {msgid for msgid, _msgstrs, _fuzzy in entries()}
    marked: set[str] = set()
    for path in base.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        marked.update(re.findall(r'\b_\(\s*"((?:[^"\\\n]|\\.)+)"\s*[,)%]', path.read_text()))
    for path in base.rglob("*.html"):
        marked.update(re.findall(r'{%\s*translate\s+"([^"]+)"', path.read_text()))
        marked.update(re.findall(r"{%\s*translate\s+'([^']+)'", path.read_text()))
    assert len(marked) > 300
    missing = sorted(m for m in marked if m.replace('\\"', '"') not in known and m not in known)
    assert missing == []
