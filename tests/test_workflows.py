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


def test_ci_runs_the_other_stacks_and_the_bundle_after_make_test():
    lines = [line for line in (REPOSITORY / ".ci" / "run").read_text().splitlines() if line.startswith("make ")]
    assert lines == ["make test", "make test-compat", "make test-bundle"]


def test_the_test_workflow_runs_every_stack_on_both_pythons_and_the_learner_install_on_three_systems():
    tests = workflow("test.yml")
    assert [entry["cron"] for entry in tests[True]["schedule"]], "a weekly run catches upstream releases"
    stacks = tests["jobs"]["stacks"]
    matrix = stacks["strategy"]["matrix"]
    assert set(matrix["stack"]) == {"pinned", "colab", "oldest"} and set(matrix["python"]) == {"3.11", "3.12"}
    for stack in matrix["stack"]:
        assert (REPOSITORY / "src" / "cnn_course" / "stacks" / f"{stack}.txt").is_file(), stack
    assert "schedule" in matrix["include"] and '"stack":"newest"' in matrix["include"]
    assert any("make test-compat STACKS=${{ matrix.stack }}" in step.get("run", "") for step in stacks["steps"])
    assert stacks["container"] == "python:${{ matrix.python }}-bookworm"
    learner = tests["jobs"]["learner-install"]
    assert set(learner["strategy"]["matrix"]["os"]) == {"ubuntu-latest", "macos-latest", "windows-latest"}
    commands = [step["run"] for step in learner["steps"] if "run" in step]
    assert len(commands) == 2 and all("-m pip install -r requirements-learner.txt" in run for run in commands)
    assert not any("make " in run for run in commands), "a learner's install needs no make"


def test_the_release_workflow_checks_the_version_everywhere_and_tags_main_after_the_tests():
    """The Colab cell installs the tag v<version>: the release workflow makes it on main once the tests pass, and
    fails a push or pull request that changes src/cnn_course without a new version (classroom/release.py)."""
    release = workflow("release.yml")
    triggers = release[True]
    assert triggers["workflow_run"]["workflows"] == [workflow("test.yml")["name"]]
    assert triggers["workflow_run"]["types"] == ["completed"] and triggers["workflow_run"]["branches"] == ["main"]
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    assert release["permissions"] == {"contents": "read"}

    check = release["jobs"]["version-bumped"]
    assert check["if"] == "github.event_name != 'workflow_run'"
    assert any(step.get("run") == "python -m classroom.release check" for step in check["steps"])

    tag = release["jobs"]["tag"]
    condition = " ".join(tag["if"].split())
    for required in ("github.event_name == 'workflow_run'", "github.event.workflow_run.conclusion == 'success'",
                     "github.event.workflow_run.event == 'push'",
                     "github.event.workflow_run.head_repository.full_name == github.repository"):
        assert required in condition, required
    assert tag["permissions"] == {"contents": "write"}
    checkout = next(step for step in tag["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"] == {"ref": "${{ github.event.workflow_run.head_sha }}", "fetch-depth": 0}
    commands = "\n".join(step.get("run", "") for step in tag["steps"])
    assert "tag=$(python -m classroom.release tag)" in commands and 'git push origin "refs/tags/$tag"' in commands
    for job in (check, tag):
        assert any(step.get("with", {}).get("fetch-depth") == 0 for step in job["steps"]), "tags need the history"


def test_the_readme_release_steps_are_bump_colab_cell_commit_and_say_the_rule():
    readme = " ".join((REPOSITORY / "README.md").read_text().split())
    section = readme[readme.index("### Releases and Colab"):readme.index("## Stacks the course runs on")]
    assert "bump `__version__` in `src/cnn_course/__init__.py`, run `make colab-cell`, commit" in section
    assert "every change to `src/cnn_course` needs a new version" in section
    assert "push the tag" not in section and "tag that commit" not in section
