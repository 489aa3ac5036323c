"""The GitHub Actions workflows: valid for actionlint, testing what `make test` tests, publishing the site.

actionlint checks syntax, expressions, action inputs and versions (it knows which action releases are
deprecated) and, when shellcheck is installed, the shell of every `run:` step.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parents[1]
WORKFLOWS = REPOSITORY / ".github" / "workflows"


def actionlint():
    beside_python = Path(sys.executable).parent / "actionlint"
    return str(beside_python) if beside_python.exists() else shutil.which("actionlint")


def workflow(name):
    # PyYAML reads the key `on` as True
    return yaml.safe_load((WORKFLOWS / name).read_text())


def steps(workflow_):
    return [step for job in workflow_["jobs"].values() for step in job.get("steps", [])]


def test_actionlint_accepts_every_workflow():
    command = actionlint()
    if command is None:
        pytest.skip("actionlint is not installed (requirements.txt has it)")
    run = subprocess.run([command, "-no-color"], cwd=REPOSITORY, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_test_workflow_runs_ci_with_chromium_and_the_datasets():
    tests = steps(workflow("test.yml"))
    commands = "\n".join(step.get("run", "") for step in tests)
    assert "bash .ci/run" in commands
    assert "apt-get install" in commands and "chromium" in commands
    assert any("CNN_COURSE_DATASETS" in step.get("run", "") for step in tests)


def test_the_pages_workflow_publishes_the_built_site_after_the_tests():
    pages = workflow("pages.yml")
    assert pages[True]["workflow_run"]["workflows"] == [workflow("test.yml")["name"]]
    uses = {step.get("uses", "").split("@")[0]: step for step in steps(pages)}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "_build/html"
    assert "actions/deploy-pages" in uses
    assert any(step.get("run") == "make book" for step in steps(pages))
