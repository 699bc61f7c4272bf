"""Check functions -> the registry of which rule ids each reports, so any rule can run alone.

A per-entry check is a function of an `EntryContext` that yields `Finding`s; a catalogue check
is a function of every entry that yields `Diagnostic`s. Each is registered with the ids of the
rules it reports, beside its definition (`@check("unknown-pattern", ...)`). A check needs no
other check to have run: what several rules share (the malformed keys, the catalogue's slugs,
the vocabulary's derived terms) is worked out up front in the context they are given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from graph_builder.core.model import Diagnostic, Entry
from graph_builder.core.validate.rules import RULES

if TYPE_CHECKING:
    from graph_builder.core.validate.context import EntryContext

__all__ = [
    "CATALOGUE_CHECKS",
    "ENTRY_CHECKS",
    "CatalogueCheck",
    "EntryCheck",
    "Finding",
    "catalogue_check",
    "check",
]


class Finding(NamedTuple):
    """One problem a per-entry check found: its rule id, line and message (the path and the
    severity are added when it becomes a `Diagnostic`)."""

    rule: str
    line: int
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryCheck:
    """A per-entry check and the rule ids it reports."""

    rules: tuple[str, ...]
    run: Callable[[EntryContext], Iterator[Finding]]


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogueCheck:
    """A catalogue-wide check (it needs every entry) and the rule ids it reports."""

    rules: tuple[str, ...]
    run: Callable[[Sequence[Entry]], Iterable[Diagnostic]]


#: Every per-entry check, in the order the check modules register them.
ENTRY_CHECKS: list[EntryCheck] = []
#: Every catalogue-wide check.
CATALOGUE_CHECKS: list[CatalogueCheck] = []


def _known(rules: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [rule for rule in rules if rule not in RULES]
    if unknown or not rules:
        raise ValueError(f"a check must report rules of `RULES`, not {unknown or 'none'}")
    return rules


def check(
    *rules: str,
) -> Callable[
    [Callable[[EntryContext], Iterator[Finding]]], Callable[[EntryContext], Iterator[Finding]]
]:
    """Register a per-entry check as the one that reports `rules`."""

    def register(
        function: Callable[[EntryContext], Iterator[Finding]],
    ) -> Callable[[EntryContext], Iterator[Finding]]:
        ENTRY_CHECKS.append(EntryCheck(rules=_known(rules), run=function))
        return function

    return register


def catalogue_check(
    *rules: str,
) -> Callable[
    [Callable[[Sequence[Entry]], Iterable[Diagnostic]]],
    Callable[[Sequence[Entry]], Iterable[Diagnostic]],
]:
    """Register a catalogue-wide check as the one that reports `rules`."""

    def register(
        function: Callable[[Sequence[Entry]], Iterable[Diagnostic]],
    ) -> Callable[[Sequence[Entry]], Iterable[Diagnostic]]:
        CATALOGUE_CHECKS.append(CatalogueCheck(rules=_known(rules), run=function))
        return function

    return register
