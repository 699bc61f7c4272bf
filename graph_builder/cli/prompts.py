"""A terminal's answers -> a complete `EntryDraft`: the questions `graph-builder new` asks.

`prompt_draft` reads and writes the streams it is given, so a test can drive it; every answer is
checked by `entry_draft`'s functions, as the flags are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TextIO

from graph_builder.cli.entry_draft import (
    EntryDraft,
    count_span,
    frame_problem,
    kind_problem,
    level_problem,
    name_problem,
    relation_problem,
    tags_problem,
)
from graph_builder.core import limits
from graph_builder.core.vocabulary import Term, Vocabulary

__all__ = ["PromptAbortedError", "prompt_draft"]

_SPLIT = re.compile(r"[,\s]+")


class PromptAbortedError(Exception):
    """Input ended before every question was answered; nothing was written."""


def prompt_draft(
    draft: EntryDraft,
    vocabulary: Vocabulary,
    stdin: TextIO,
    stdout: TextIO,
    *,
    exists: Callable[[str], bool] = lambda slug: False,
) -> EntryDraft:
    """Ask for every field the draft is missing, re-asking until each answer is valid.

    Each question lists the vocabulary with its definitions. An empty answer skips an optional
    field (a placeholder is written); the name and the kind cannot be skipped.

    Args:
        draft: what the flags already gave; those fields are not asked again.
        vocabulary: the terms offered and checked against.
        stdin: where answers are read, one line each.
        stdout: where questions and complaints are written.
        exists: tells whether an entry with this slug exists, so a taken name is re-asked.

    Raises:
        PromptAbortedError: input ended before the name and the kind were answered.
    """
    asker = _Asker(stdin, stdout)
    if draft.name is None:

        def new_name_problem(answer: str) -> str | None:
            problem = name_problem(answer, draft.given_slug)
            slug = replace(draft, name=answer).slug
            if problem is None and exists(slug):
                return f"an entry '{slug}' already exists; choose another name"
            return problem

        draft = replace(
            draft, name=asker.ask("Name of the model (e.g. Rupture and Repair)", new_name_problem)
        )
    if draft.kind is None:
        asker.offer("Kinds", vocabulary.kinds)
        kind = asker.ask("Kind", lambda a: kind_problem(a, vocabulary))
        draft = replace(draft, kind=kind)
    if draft.source_frame is None:
        required = " (a metaphor needs one)" if draft.kind == "metaphor" else ""
        frame = asker.ask(
            f"Domain it comes from, as a slug, e.g. psychotherapy{required}; Enter to skip",
            frame_problem,
            optional=True,
        )
        draft = replace(draft, source_frame=frame or None)
    if not draft.categories:
        categories = asker.ask_tags(
            f"Categories ({count_span(limits.CATEGORY_COUNT)})",
            vocabulary.categories,
            lambda v: tags_problem("category", v, vocabulary.categories, limits.CATEGORY_COUNT),
        )
        draft = replace(draft, categories=categories)
    if not draft.embodied_patterns:
        patterns = asker.ask_tags(
            f"Embodied patterns ({count_span(limits.PATTERN_COUNT)})",
            vocabulary.embodied_patterns,
            lambda v: tags_problem(
                "embodied pattern", v, vocabulary.embodied_patterns, limits.PATTERN_COUNT
            ),
        )
        draft = replace(draft, embodied_patterns=patterns)
    if not draft.relation_types:
        relations = asker.ask_tags(
            f"Relation types ({count_span(limits.RELATION_COUNT)}, "
            "each `parent` or `parent/subtype`)",
            vocabulary.relation_types,
            lambda v: relation_problem(v, vocabulary),
        )
        draft = replace(draft, relation_types=relations)
    if not draft.structure:
        structure = asker.ask_tags(
            f"Structure ({count_span(limits.STRUCTURE_COUNT)})",
            vocabulary.structures,
            lambda v: tags_problem("structure", v, vocabulary.structures, limits.STRUCTURE_COUNT),
        )
        draft = replace(draft, structure=structure)
    if draft.abstraction_level is None:
        asker.offer("Abstraction levels", vocabulary.abstraction_levels)
        level = asker.ask(
            "Abstraction level; Enter to skip",
            lambda a: level_problem(a, vocabulary),
            optional=True,
        )
        draft = replace(draft, abstraction_level=level or None)
    if draft.author is None:
        author = asker.ask(
            "Your handle (e.g. your GitHub name); Enter to skip", None, optional=True
        )
        draft = replace(draft, author=author or None)
    return draft


def _words(text: str) -> tuple[str, ...]:
    return tuple(word for word in _SPLIT.split(text) if word)


class _Asker:
    """Questions on one stream, answers from another."""

    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self.stdin = stdin
        self.stdout = stdout

    def offer(self, title: str, terms: Mapping[str, Term]) -> None:
        width = max((len(slug) for slug in terms), default=0)
        self.stdout.write(f"\n{title}:\n")
        for slug, term in terms.items():
            self.stdout.write(f"  {slug:<{width}}  {term.definition}\n")

    def ask_tags(
        self,
        question: str,
        terms: Mapping[str, Term],
        problem: Callable[[Sequence[str]], str | None],
    ) -> tuple[str, ...]:
        """Offer the terms, then ask for several of them separated by commas or spaces."""
        self.offer(question.split(" (")[0], terms)
        answer = self.ask(
            f"{question}, separated by commas; Enter to skip",
            lambda text: problem(_words(text)) if _words(text) else "an answer is needed",
            optional=True,
        )
        return _words(answer)

    def ask(
        self,
        question: str,
        problem: Callable[[str], str | None] | None,
        *,
        optional: bool = False,
    ) -> str:
        while True:
            self.stdout.write(f"{question}: ")
            self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                self.stdout.write("\n")
                raise PromptAbortedError("input ended before every question was answered")
            answer = line.strip()
            if not answer and optional:
                return ""
            complaint = problem(answer) if problem else None
            if complaint is None and answer:
                return answer
            self.stdout.write(f"  {complaint or 'an answer is needed'}; try again\n")
