"""Text -> the characters in it that no one can see, and text made safe to print to a terminal.

Two facts live here, once, because the validator and every printing command need the same
answer to "which characters are dangerous to show as they are":

- Control characters (Unicode category Cc: NUL, ESC, the C1 controls …) are commands to a
  terminal, not text: `ESC [2J` clears the screen, others retitle the window or forge lines.
- Invisible format characters (category Cf: the bidirectional overrides and isolates U+202A–202E
  and U+2066–2069, the marks U+200E/200F and U+061C, zero-width spaces, the soft hyphen, tag
  characters …) and the line and paragraph separators U+2028/2029 change how text reads without
  being seen: a right-to-left override makes `check` read one thing while a reviewer sees another
  (the "Trojan Source" trick), and a zero-width space makes two equal-looking names differ.

Decisions:

- Tab and line feed are text. A carriage return directly before a line feed is a Windows line
  ending, not a hidden character.
- A zero-width joiner or non-joiner (U+200D, U+200C) between two non-ASCII letters, marks or
  symbols is part of the writing: it joins emoji sequences (👩‍🔬) and shapes Persian and Indic
  words. Anywhere else (next to ASCII, at the edge of a word) it only hides.
- The soft hyphen (U+00AD) is reported: browsers hyphenate on their own, and a hidden soft
  hyphen makes search miss the word and two names that look the same differ.
- Other spaces (no-break space, ideographic space) are visible as space and stay.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["HiddenCharacter", "character_name", "hidden_characters", "is_control", "printable"]

#: The Unicode names of the C0 controls and DEL (Unicode gives controls no `name`, only aliases).
_C0_WORDS = (
    "NULL START-OF-HEADING START-OF-TEXT END-OF-TEXT END-OF-TRANSMISSION ENQUIRY ACKNOWLEDGE "
    "BELL BACKSPACE CHARACTER-TABULATION LINE-FEED LINE-TABULATION FORM-FEED CARRIAGE-RETURN "
    "SHIFT-OUT SHIFT-IN DATA-LINK-ESCAPE DEVICE-CONTROL-ONE DEVICE-CONTROL-TWO "
    "DEVICE-CONTROL-THREE DEVICE-CONTROL-FOUR NEGATIVE-ACKNOWLEDGE SYNCHRONOUS-IDLE "
    "END-OF-TRANSMISSION-BLOCK CANCEL END-OF-MEDIUM SUBSTITUTE ESCAPE INFORMATION-SEPARATOR-FOUR "
    "INFORMATION-SEPARATOR-THREE INFORMATION-SEPARATOR-TWO INFORMATION-SEPARATOR-ONE"
)
_C0_NAMES = _C0_WORDS.split()
_JOINERS = frozenset("\u200c\u200d")
_JOINABLE = frozenset({"L", "M", "S"})  # the first letter of the neighbours' categories


@dataclass(frozen=True, slots=True, kw_only=True)
class HiddenCharacter:
    """One hidden character: where it is (0-based line of the text, column) and what it is."""

    line: int
    column: int
    char: str

    @property
    def control(self) -> bool:
        """A control character (Cc) rather than an invisible format character."""
        return is_control(self.char)


def is_control(char: str) -> bool:
    """True for a control character (Unicode category Cc), such as NUL or ESC."""
    return unicodedata.category(char) == "Cc"


def character_name(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: the code point and its Unicode name, for messages.

    >>> character_name("\\x1b")
    'U+001B ESCAPE'
    >>> character_name("\\u200b")
    'U+200B ZERO WIDTH SPACE'
    """
    code = ord(char)
    if code < 0x20:
        name = _C0_NAMES[code].replace("-", " ")
    elif code == 0x7F:
        name = "DELETE"
    elif 0x80 <= code <= 0x9F:
        name = "C1 CONTROL"
    else:
        name = unicodedata.name(char, "UNNAMED")
    return f"U+{code:04X} {name}"


def _hidden(char: str, line: str, column: int) -> bool:
    """Whether the non-printable `char` at `line[column]` is hidden (see the module's rules)."""
    if char == "\t":
        return False
    if char == "\r":
        return column != len(line) - 1  # a CR before the LF the line was split at
    category = unicodedata.category(char)
    if category == "Cf":
        if char in _JOINERS and 0 < column < len(line) - 1:
            before, after = line[column - 1], line[column + 1]
            return not all(
                not c.isascii() and unicodedata.category(c)[0] in _JOINABLE for c in (before, after)
            )
        return True
    return category in ("Cc", "Zl", "Zp")


def hidden_characters(text: str) -> Iterator[HiddenCharacter]:
    """Every control or invisible character of `text`, in order, with its line and column.

    One pass: the lines are split once, and a line whose characters are all printable (tested
    in C by `str.isprintable`) is not looked at character by character.

    >>> [(h.line, h.column, h.char) for h in hidden_characters("ok\\nrtl \\u202e here")]
    [(1, 4, '\\u202e')]
    """
    if text.isprintable() or text.replace("\n", "").isprintable():
        return
    for number, line in enumerate(text.split("\n")):
        if line.isprintable():
            continue
        for column, char in enumerate(line):
            if not char.isprintable() and _hidden(char, line, column):
                yield HiddenCharacter(line=number, column=column, char=char)


def _escape(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")


def printable(text: str) -> str:
    """Text made safe for a terminal or a one-line report: control and invisible characters
    (line breaks and tabs included) written as Python escapes: `\\x1b`, `\\n`, `\\u202e`.

    Spaces of every kind, and letters of every script, stay as they are; so do joiners inside
    emoji and words, where they are visible as the joined glyph. The escapes are plain ASCII, so
    escaping twice changes nothing more. Use it on every piece of contributor text or file name
    a command prints.

    >>> printable("evil\\x1b[31mred")
    'evil\\\\x1b[31mred'
    >>> printable("a\\u202eb\\nc")
    'a\\\\u202eb\\\\nc'
    >>> printable("Zeno\\u2019s paradox")
    'Zeno’s paradox'
    """
    if text.isprintable():
        return text
    out: list[str] = []
    for column, char in enumerate(text):
        if char.isprintable():
            out.append(char)
            continue
        category = unicodedata.category(char)
        # Kept: spaces of every kind, and joiners inside emoji and words (see `_hidden`). Lone
        # surrogates (undecodable file names), private-use and unassigned code points are
        # escaped too: they show as boxes or not at all.
        kept = category == "Zs" or (category == "Cf" and not _hidden(char, text, column))
        out.append(char if kept else _escape(char))
    return "".join(out)
