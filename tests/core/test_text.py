"""core/text.py and the script escaping: their shortcuts for text with nothing to change give
exactly what the full pass gives, for any text."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from graph_builder.core.text import _INVISIBLE, strip_invisible
from graph_builder.site.escape import _SCRIPT_ESCAPES, script_json, script_safe


@given(st.text())
@example("plain words, printable ASCII")
@example("tab\tand\nnewline stay")
@example("a DEL\x7f and an escape\x1b go")
@example("a direction override \u202e goes, an e-acute \u00e9 stays")
def test_strip_invisible_removes_exactly_the_invisible_characters(text: str) -> None:
    assert strip_invisible(text) == _INVISIBLE.sub("", text)


@given(st.text())
@example('{"name":"</script><!--"}')
@example('{"a":"b & c"}')
@example('{"line":"\u2028"}')
@example('{"plain":"json"}')
def test_script_safe_equals_the_full_translation(text: str) -> None:
    assert script_safe(text) == text.translate(_SCRIPT_ESCAPES)


def test_script_json_escapes_what_could_end_the_script() -> None:
    assert script_json({"x": "</script>&\u2029"}) == '{"x":"\\u003c/script\\u003e\\u0026\\u2029"}'
    assert script_json({"x": "plain"}) == '{"x":"plain"}'
