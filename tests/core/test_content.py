"""The catalogue's own entries: originality against the seed document, and substance."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder.core.load import load_entries
from graph_builder.core.model import Entry
from tests.content_shingles import WINDOW, shingle_hashes, without_cited_titles, words

ROOT = Path(__file__).resolve().parent.parent.parent
ENTRIES = load_entries(ROOT / "entries").entries
SEED_SHINGLES = set(
    (Path(__file__).parent.parent / "fixtures" / "seed-shingles.txt").read_text().split()
)
SEED_DOCUMENT = ROOT.parent / "shared" / "seed" / "rupture-and-repair.txt"


def test_the_catalogue_has_its_first_entries() -> None:
    assert len(ENTRIES) >= 43


def test_shingle_fixture_matches_the_seed_document_where_it_is_available() -> None:
    assert len(SEED_SHINGLES) > 1000
    if SEED_DOCUMENT.exists():  # beside a checkout; the fixture keeps the test working without it
        assert shingle_hashes(SEED_DOCUMENT.read_text(encoding="utf-8")) == SEED_SHINGLES


def test_only_the_titles_cited_under_references_are_left_out() -> None:
    title = '"One two three four five six seven eight nine ten."'
    entry = (
        f"## Transfers\n\nProse {title}\n\n## References\n\n- Author. {title} *Journal* (1979)\n"
    )
    kept = without_cited_titles(entry)
    assert kept.count("One two three") == 1 and kept.index("One two") < kept.index("## Ref")
    assert "- Author.   *Journal* (1979)" in kept


def test_shingles_catch_a_copied_run_even_with_other_punctuation() -> None:
    text = "One two three four five six seven eight nine ten eleven"
    assert shingle_hashes(text) & shingle_hashes(
        "x, ONE two three four five six seven eight nine TEN."
    )
    assert not shingle_hashes(text) & shingle_hashes("one two three four five six seven eight nine")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_no_entry_shares_ten_consecutive_words_with_the_seed(entry: Entry) -> None:
    text = without_cited_titles(Path(entry.path).read_text(encoding="utf-8"))
    shared = shingle_hashes(text) & SEED_SHINGLES
    assert not shared, f"{entry.path} shares {len(shared)} runs of {WINDOW} words with the seed"


MIN_WORDS, MAX_WORDS = 450, 900


def _body_words(entry: Entry) -> int:
    return len(words(entry.body))


def _limit_count(entry: Entry) -> int:
    limits = entry.section("Limits")
    return len(limits.moves) if limits else 0


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_every_entry_body_has_450_to_900_words(entry: Entry) -> None:
    assert MIN_WORDS <= _body_words(entry) <= MAX_WORDS, f"{entry.path}: {_body_words(entry)} words"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_every_entry_has_the_sections_a_reader_learns_from(entry: Entry) -> None:
    transfers, limits = entry.section("Transfers"), entry.section("Limits")
    expressions, references = entry.section("Expressions"), entry.section("References")
    assert transfers and transfers.intro, "Transfers opens with a paragraph"
    assert len(transfers.moves) >= 2 and all(m.label for m in transfers.moves)
    assert limits and len(limits.moves) >= 2 and all(m.label for m in limits.moves)
    assert expressions and len(expressions.expressions) >= 3
    assert all(e.gloss for e in expressions.expressions)
    assert entry.section("Origin Story") is not None
    assert references and len(references.references) >= 2
    assert entry.summary and 2 <= len(entry.transfers) <= 4 and 2 <= len(entry.limits) <= 4


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_no_entry_lists_itself_as_related(entry: Entry) -> None:
    assert entry.slug not in entry.related


def _percentile(values: list[int], share: float) -> float:
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def test_the_entries_do_not_all_share_one_template() -> None:
    """Each idea gets the limits and the length it needs, so no single shape dominates."""
    limit_counts = [_limit_count(e) for e in ENTRIES]
    commonest = max(limit_counts.count(n) for n in set(limit_counts))
    assert commonest <= 0.6 * len(ENTRIES), f"{commonest} of {len(ENTRIES)} share one limit count"
    assert len(set(limit_counts)) >= 3
    counts = [_body_words(e) for e in ENTRIES]
    spread = _percentile(counts, 0.9) - _percentile(counts, 0.1)
    assert spread > 150, f"word counts spread over only {spread:.0f} words (10th-90th percentile)"
    stock = [e.slug for e in ENTRIES if "used as a model for" in e.summary]
    assert not stock, f"summaries in the stock phrasing: {stock}"
