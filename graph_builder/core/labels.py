"""Values -> the words every output shows for them: a domain's label, a slug made readable.

The site, the open data and the command line name an entry's source domain the same way, and
an entry without one the same way too."""

from __future__ import annotations

__all__ = ["NO_DOMAIN", "domain_label", "humanize", "plural"]

#: What every output says for an entry with no `source_frame`.
NO_DOMAIN = "no source domain"


def domain_label(frame: str | None) -> str:
    """A source domain as every page and graph shows it (`NO_DOMAIN` for none).

    Examples:
        >>> domain_label("mathematical-reasoning"), domain_label("")
        ('Mathematical reasoning', 'no source domain')
    """
    return humanize(frame) if frame else NO_DOMAIN


def humanize(slug: str) -> str:
    """`mathematical-reasoning` -> `Mathematical reasoning`, for free-form domain slugs."""
    words = slug.replace("_", "-").split("-")
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:] if text else slug


def plural(count: int, noun: str) -> str:
    """`1 error`, `2 errors`: a count and its noun, as every report says it."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
