"""The GitHub workflows: valid for actionlint, and running the checks a pull request needs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _actionlint() -> str:
    found = shutil.which("actionlint") or str(
        Path(__file__).parent.parent.parent / ".venv/bin/actionlint"
    )
    if not Path(found).exists():
        pytest.fail("actionlint is missing: install the test extra (pip install -e '.[test]')")
    return found


def test_workflows_exist() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"pull-request.yml", "pages.yml"} <= names


def test_actionlint_passes_on_every_workflow() -> None:
    result = subprocess.run(
        [_actionlint(), "-no-color", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.nope }}\n"
    )
    result = subprocess.run(
        [_actionlint(), "-no-color", str(broken)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "broken.yml:6" in result.stdout


def _steps(workflow: str) -> list[dict[str, object]]:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / workflow).read_text())
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_pull_request_workflow_checks_annotates_tests_builds_and_diffs() -> None:
    runs = " ".join(str(step.get("run", "")) for step in _steps("pull-request.yml"))
    assert "graph-builder check --strict --format github --min-severity warning" in runs
    assert "make test" in runs
    assert "mkdocs build --strict" in runs
    assert "graph-builder diff" in runs and "GITHUB_STEP_SUMMARY" in runs


def test_pages_workflow_uses_the_official_pages_actions() -> None:
    uses = {str(step.get("uses", "")).split("@")[0] for step in _steps("pages.yml")}
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= uses


def _step_running(steps: list[dict[str, object]], command: str) -> tuple[int, dict[str, object]]:
    found = [(i, step) for i, step in enumerate(steps) if command in str(step.get("run", ""))]
    assert len(found) == 1, f"one step runs {command!r}"
    return found[0]


def test_neighbour_summary_is_written_only_when_check_passed() -> None:
    steps = _steps("pull-request.yml")
    check_at, check = _step_running(steps, ".venv/bin/graph-builder check")
    diff_at, diff = _step_running(steps, "graph-builder diff")
    assert check_at < diff_at
    assert "id" in check, "the check step needs an id for the diff step's condition to name"
    condition = " ".join(str(diff.get("if", "")).split())
    # Without a status function the condition also means success(); with `always()` or
    # `failure()` the summary would be written after a failed check.
    assert f"steps.{check['id']}.outcome == 'success'" in condition
    assert not any(word in condition for word in ("always()", "failure()", "cancelled()", "||"))


def test_pull_request_tests_drive_a_browser_that_exists_on_githubs_runners() -> None:
    steps = _steps("pull-request.yml")
    install_at, _ = _step_running(steps, "playwright install --with-deps chromium")
    test_at, test = _step_running(steps, "make test")
    assert install_at < test_at
    assert test.get("env") == {"MMA_CHROMIUM": "playwright"}
    assert not [s for s in steps if "apt-get install" in str(s.get("run", ""))]


def test_pages_build_takes_the_public_address_from_the_pages_settings_or_an_input() -> None:
    steps = _steps("pages.yml")
    pages_at = next(
        i
        for i, s in enumerate(steps)
        if str(s.get("uses", "")).startswith("actions/configure-pages")
    )
    build_at, build = _step_running(steps, "mkdocs build")
    assert pages_at < build_at
    env = build.get("env")
    assert isinstance(env, dict)
    assert (
        "inputs.site_url" in env["SITE_URL"] and "steps.pages.outputs.base_url" in env["SITE_URL"]
    )
    assert steps[pages_at].get("id") == "pages"
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_url: !ENV [SITE_URL, null]" in config


def test_notes_are_annotated_only_on_the_files_a_pull_request_changes() -> None:
    _, check = _step_running(_steps("pull-request.yml"), ".venv/bin/graph-builder check")
    run = str(check["run"])
    assert "--min-severity warning" in run.splitlines()[0]
    assert "git diff --name-only --diff-filter=AM" in run and "'entries/*.md'" in run
    assert "grep '^::notice '" in run
