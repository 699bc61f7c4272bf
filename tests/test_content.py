"""The catalogue's own entries: originality against the seed document, and substance."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder.load import load_entries
from graph_builder.model import Entry
from tests.content_shingles import WINDOW, shingle_hashes, words

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = load_entries(ROOT / "entries").entries
SEED_SHINGLES = set((Path(__file__).parent / "fixtures" / "seed-shingles.txt").read_text().split())
SEED_DOCUMENT = ROOT.parent / "shared" / "seed" / "rupture-and-repair.txt"


def test_the_catalogue_has_its_first_entries() -> None:
    assert len(ENTRIES) >= 43


def test_shingle_fixture_matches_the_seed_document_where_it_is_available() -> None:
    assert len(SEED_SHINGLES) > 1000
    if SEED_DOCUMENT.exists():  # beside a checkout; the fixture keeps the test working without it
        assert shingle_hashes(SEED_DOCUMENT.read_text(encoding="utf-8")) == SEED_SHINGLES


def test_shingles_catch_a_copied_run_even_with_other_punctuation() -> None:
    text = "One two three four five six seven eight nine ten eleven"
    assert shingle_hashes(text) & shingle_hashes(
        "x, ONE two three four five six seven eight nine TEN."
    )
    assert not shingle_hashes(text) & shingle_hashes("one two three four five six seven eight nine")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_no_entry_shares_ten_consecutive_words_with_the_seed(entry: Entry) -> None:
    text = Path(entry.path).read_text(encoding="utf-8")
    shared = shingle_hashes(text) & SEED_SHINGLES
    assert not shared, f"{entry.path} shares {len(shared)} runs of {WINDOW} words with the seed"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_every_entry_body_has_at_least_350_words(entry: Entry) -> None:
    assert len(words(entry.body)) >= 350


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_every_entry_has_the_sections_a_reader_learns_from(entry: Entry) -> None:
    transfers, limits = entry.section("Transfers"), entry.section("Limits")
    expressions, references = entry.section("Expressions"), entry.section("References")
    assert transfers and transfers.intro and 3 <= len(transfers.moves) <= 5
    assert all(m.label for m in transfers.moves)
    assert limits and 3 <= len(limits.moves) <= 4 and all(m.label for m in limits.moves)
    assert expressions and 4 <= len(expressions.expressions) <= 6
    assert all(e.gloss for e in expressions.expressions)
    assert entry.section("Origin Story") is not None
    assert references and len(references.references) >= 2
    assert entry.summary and 2 <= len(entry.transfers) <= 4 and 2 <= len(entry.limits) <= 4
