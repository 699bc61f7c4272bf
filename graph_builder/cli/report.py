"""list[Diagnostic] -> text for people, JSON for tools, or GitHub Actions annotations.

Every format lists the diagnostics sorted by path, line and rule, so two runs over the same files
print the same bytes. File names and messages quote contributor text, so no format prints a
control or invisible character as it is: the text and GitHub formats show it escaped
(`characters.printable`), JSON as a `\\u` escape.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from graph_builder.core.characters import printable
from graph_builder.core.labels import plural
from graph_builder.core.model import Diagnostic, Severity

__all__ = ["FORMATS", "format_github", "format_json", "format_report", "format_text", "summary"]

#: The names `graph-builder check --format` accepts.
FORMATS: tuple[str, ...] = ("text", "json", "github")

_GITHUB_COMMAND = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.NOTE: "notice",
}


def summary(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    """One line counting files and problems: `43 files checked: 0 errors, 0 warnings, 12 notes`."""
    counts = dict.fromkeys(Severity, 0)
    for diagnostic in diagnostics:
        counts[diagnostic.severity] += 1
    parts = [
        plural(counts[Severity.ERROR], "error"),
        plural(counts[Severity.WARNING], "warning"),
        plural(counts[Severity.NOTE], "note"),
    ]
    return f"{plural(files_checked, 'file')} checked: {', '.join(parts)}"


def format_text(
    diagnostics: Sequence[Diagnostic],
    files_checked: int,
    counted: Sequence[Diagnostic] | None = None,
) -> str:
    """One `PATH:LINE: severity: message [rule]` line per diagnostic, then the summary line,
    which counts `counted` (every problem found, when only some are listed) or the listed ones.

    A file name or message with a line break or a control character stays one line, escaped.
    """
    lines = [printable(d.format()) for d in sorted(diagnostics, key=Diagnostic.sort_key)]
    lines.append(summary(diagnostics if counted is None else counted, files_checked))
    return "\n".join(lines) + "\n"


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    """A JSON list of `{path, line, severity, rule, message}` objects, keys sorted, in ASCII."""
    rows = [
        {
            "path": d.path,
            "line": d.line,
            "severity": d.severity.value,
            "rule": d.rule,
            "message": d.message,
        }
        for d in sorted(diagnostics, key=Diagnostic.sort_key)
    ]
    return json.dumps(rows, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands, so each problem shows on its line of the pull request.

    `::error file=PATH,line=N,title=RULE::MESSAGE` (`::warning`, `::notice` for notes). The
    message is escaped as workflow-command data (`%`, CR, LF) and the properties as property
    values (also `:` and `,`), so no entry text can end a command early or forge another one;
    control and invisible characters are escaped first, as in the text format (the log viewer
    would run ANSI escapes).
    """
    lines = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        command = _GITHUB_COMMAND[d.severity]
        path, rule, message = printable(d.path), printable(d.rule), printable(d.message)
        properties = f"file={_escape_property(path)},line={d.line},title={_escape_property(rule)}"
        lines.append(f"::{command} {properties}::{_escape_data(message)}")
    return "".join(f"{line}\n" for line in lines)


def format_report(
    diagnostics: Sequence[Diagnostic],
    fmt: str,
    files_checked: int,
    counted: Sequence[Diagnostic] | None = None,
) -> str:
    """The report in one of `FORMATS` (the text format ends with the summary line of `counted`).

    Raises:
        ValueError: `fmt` is not one of `FORMATS`.
    """
    if fmt == "text":
        return format_text(diagnostics, files_checked, counted)
    if fmt == "json":
        return format_json(diagnostics)
    if fmt == "github":
        return format_github(diagnostics)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
