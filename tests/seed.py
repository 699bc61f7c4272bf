"""Facts of the seed entry shared by the tests: its published structural neighbours, in order,
with their scores at 3 decimals, and its related entries."""

SEED = "rupture-and-repair"
SEED_SCORES: tuple[tuple[str, float], ...] = (
    ("phoenix", 0.624),
    ("hansei", 0.607),
    ("nemesis", 0.591),
    ("ouroboros", 0.587),
    ("pendulation", 0.547),
    ("sharpening-the-saw", 0.546),
    ("zenos-paradox", 0.524),
    ("slowing-down-to-speed-up", 0.507),
)
SEED_NEIGHBOURS: list[str] = [slug for slug, _ in SEED_SCORES]
SEED_RELATED: list[str] = ["therapeutic-alliance", "antifragile", "creative-destruction"]
