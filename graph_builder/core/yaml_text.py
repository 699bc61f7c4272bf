"""A string -> the YAML scalar that reads back as exactly that string, for text we tell people to
write (the scaffold's lines, the fixes in `check`'s messages).

YAML 1.1 reads many plain words as something else: `123` and `0x10` are numbers, `yes`, `on`
and `null` are booleans and null, `2026-01-01` is a date, `- a` a list, `a: b` a mapping, and
`#x` a comment. No list of such cases is complete, so the decision is made by a round trip
through the loader itself (`load.parse_entry`, the same YAML and constructors `check` uses):
the plain text when it reads back as the same string, else a quoted form that does.
"""

from __future__ import annotations

import functools
import re

from graph_builder.core.load import parse_entry

__all__ = ["yaml_scalar"]


@functools.lru_cache(maxsize=1024)
def yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar for one `key: value` line: plain when YAML reads it back as the
    same string, else single-quoted, else double-quoted with escapes.

    >>> yaml_scalar("rupture-and-repair")
    'rupture-and-repair'
    >>> yaml_scalar("123")
    "'123'"
    >>> yaml_scalar("it's: on")
    "'it''s: on'"

    Raises:
        ValueError: no form reads back as `value` (a line break, which a one-line value cannot
            hold, is written as an escape and does read back; this is a safety net).
    """
    single = "'" + value.replace("'", "''") + "'"
    double = '"' + _DOUBLE_QUOTED_ESCAPES.sub(_escape, value) + '"'
    for written in (value, single, double):
        if "\n" not in written and _reads_back(written) == value:
            return written
    raise ValueError(f"no YAML scalar reads back as {value!r}")


#: What a double-quoted YAML scalar cannot hold as it is: the quote, the backslash, and every
#: character outside YAML's printable set, plus line breaks and the other C0 and C1 controls.
_DOUBLE_QUOTED_ESCAPES = re.compile(
    '["\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]'
)


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in '"\\':
        return "\\" + char
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _reads_back(written: str) -> object:
    entry, problems = parse_entry(f"---\nvalue: {written}\n---\n", "<scalar>")
    if entry is None or problems:
        return None
    return entry.meta.get("value")
