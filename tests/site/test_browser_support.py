"""Which browser the browser tests drive: the environment variable first, then the PATH."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM_ENV, Chromium, find_chromium


def _executable(path: Path) -> Path:
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_the_variable_names_a_binary_or_playwrights_own_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    binary = _executable(tmp_path / "my-chrome")
    monkeypatch.setenv(CHROMIUM_ENV, str(binary))
    assert find_chromium() == Chromium(path=binary)
    monkeypatch.setenv(CHROMIUM_ENV, "playwright")
    assert find_chromium() == Chromium(path=None)
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "missing"))
    found = find_chromium()
    assert isinstance(found, str) and "not an executable file" in found


def test_without_the_variable_chromium_on_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CHROMIUM_ENV, raising=False)
    binary = _executable(tmp_path / "chromium")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    assert find_chromium() == Chromium(path=binary)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    found = find_chromium()
    assert isinstance(found, str) and "apt-get install chromium" in found
