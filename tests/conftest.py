"""Hypothesis profiles: `HYPOTHESIS_PROFILE=thorough make test` runs the property tests that take
their example count from the profile (see tests/test_yaml_construct.py) with many more examples;
the default profile keeps `make test` quick."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("thorough", max_examples=5_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
