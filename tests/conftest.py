"""Hypothesis profiles: `HYPOTHESIS_PROFILE=thorough make test` runs every property test with 20
times the examples of the default run, which keeps `make test` quick."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=2_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
