"""The Colab install cell: the first code cell of every notebook, written here once and applied to all.

Colab opens a copy of one notebook, without the repository, so that cell installs the helper package from the
repository of ``_config.yml``: the release tagged ``v`` + ``cnn_course.__version__`` when the repository has that
tag, otherwise its branch (``repository.branch``), and it says in one line which one it installed. When nothing
can be installed (no network, a failed build) it ends with a short message saying what to do, never with a
traceback: ``%pip install`` would end normally after a failed install and leave the next cell to fail with
``ModuleNotFoundError``. Being the first thing a Colab learner runs, it also offers the mode (keeping a
``CNN_COURSE_MODE`` already set), says how to get a GPU runtime and what a full run costs.

Elsewhere it does nothing (the package is installed and the mode comes from ``CNN_COURSE_MODE``). The site
leaves it out (tag ``remove-cell``). ``python -m classroom.colab_cell [NOTEBOOK ...]`` (``make colab-cell``)
rewrites it in the notebooks named, all of ``chapters/`` by default; tests/test_notebooks.py checks that
every notebook holds exactly :func:`render`'s text. The environment variable ``CNN_COURSE_REPOSITORY``
replaces the repository's URL (a fork's, or a local copy's: tests/classroom/test_colab_cell.py runs the cell
against a repository in a temporary folder).
"""

from __future__ import annotations

import argparse
import ast
import json
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
TAG = "remove-cell"
# The Colab form's menu: the first choice, the default, keeps the mode a learner has already set (full if none),
# so the cell never overrides CNN_COURSE_MODE unless the learner picks a mode in the menu.
MODE_FIELD = "MODE"
KEEP_MODE = "as set"
MODE_CHOICES = (KEEP_MODE, "full", "quick")
# The chapters whose full-mode training is long enough for a GPU to matter (the GPU line names them).
LONG_TRAINING_CHAPTERS = ("06_architectures", "07_fashion_mnist", "08_what_convnets_learn")
# Overrides the repository's URL in the cell (a fork, or a local repository in the tests).
REPOSITORY_VARIABLE = "CNN_COURSE_REPOSITORY"

TEMPLATE = """\
# @title On Colab, run this cell first: it installs the course's helper package (release {tag}) and sets the mode
# - Mode: "full" trains as the text describes; "quick" trains on small subsets for a few epochs, for a first
#   look or a short session; "{keep}" keeps the CNN_COURSE_MODE already set, full if none. Choose it here (on
#   Colab, in the menu beside this cell), then Runtime > Run all.
# - GPU: Runtime > Change runtime type > T4 GPU. Every chapter runs on a CPU; only {long_chapters} train long
#   enough for a GPU to matter. The first line the next cell prints says whether TensorFlow found one.
# - Cost: a full run on Colab has not been measured. The box at the top of each chapter that trains gives its
#   measured time on a 2-core CPU, in full and in quick mode (the book's Run times page lists every chapter).
# Elsewhere this cell does nothing: the package is installed, and the mode comes from CNN_COURSE_MODE.
{field} = "{keep}"  # @param {choices}

import os
import sys

if "google.colab" in sys.modules:
    import importlib
    import subprocess

    if {field} != "{keep}":
        os.environ["CNN_COURSE_MODE"] = {field}
    REPOSITORY = os.environ.get("{variable}", "{url}")

    def run(*command):
        \"\"\"Run a command quietly; its result, or None when it had not finished after 5 minutes.\"\"\"
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=300,
                                  env={{**os.environ, "GIT_TERMINAL_PROMPT": "0"}})
        except subprocess.TimeoutExpired:
            return None

    def last_line(done):
        if done is None:
            return "no answer after 5 minutes"
        lines = (done.stderr + done.stdout).strip().splitlines()
        return lines[-1] if lines else f"exit status {{done.returncode}}"

    tags = run("git", "ls-remote", REPOSITORY, "refs/tags/{tag}")
    if tags is None or tags.returncode != 0:
        print(f"cnn_course was not installed: {{REPOSITORY}} cannot be reached ({{last_line(tags)}}). Check that "
              "this runtime is online (Runtime > Disconnect and delete runtime gives a new one), then run this "
              "cell again.")
    else:
        ref = "{tag}" if tags.stdout.strip() else "{branch}"
        pip = run(sys.executable, "-m", "pip", "install", "--quiet", f"cnn-course @ git+{{REPOSITORY}}@{{ref}}")
        importlib.invalidate_caches()
        if pip is None or pip.returncode != 0:
            print(f"cnn_course was not installed: pip failed on {{REPOSITORY}}@{{ref}} ({{last_line(pip)}}). Run "
                  "this cell again; if it fails again, report this message.")
        elif ref == "{tag}":
            print("Installed cnn_course {tag}, the release this notebook was written for.")
        else:
            print(f"Release {tag} is not on {{REPOSITORY}} yet: installed cnn_course from its {branch} branch.")"""


def package_version(repository: Path = REPOSITORY) -> str:
    """``cnn_course.__version__``, read from the source without importing the package (that imports TensorFlow)."""
    module = ast.parse((repository / "src" / "cnn_course" / "__init__.py").read_text(encoding="utf-8"))
    for node in module.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError("src/cnn_course/__init__.py sets no __version__")


def release_tag(repository: Path = REPOSITORY) -> str:
    """The git tag of the release the Colab cell installs: ``v0.1.0`` for version 0.1.0."""
    return f"v{package_version(repository)}"


def _repository_settings(repository: Path) -> dict:
    import yaml  # only here: the release check (classroom.release) reads the version with the standard library alone

    return yaml.safe_load((repository / "_config.yml").read_text(encoding="utf-8"))["repository"]


def repository_url(repository: Path = REPOSITORY) -> str:
    """The repository's URL, set once in _config.yml (``repository.url``), which forks change."""
    return _repository_settings(repository)["url"]


def repository_branch(repository: Path = REPOSITORY) -> str:
    """The branch the cell installs when the release's tag is missing (``repository.branch``, ``main`` if unset)."""
    return _repository_settings(repository).get("branch") or "main"


def chapter_numbers(chapters: tuple[str, ...] = LONG_TRAINING_CHAPTERS) -> str:
    """``("06_x", "07_y", "08_z")`` as the words "chapters 6, 7 and 8"."""
    numbers = [str(int(chapter.split("_", 1)[0])) for chapter in chapters]
    listed = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
    return ("chapter " if len(numbers) == 1 else "chapters ") + listed


def render(repository: Path = REPOSITORY) -> str:
    """The source of the Colab install cell, for the version and the repository of this checkout."""
    return TEMPLATE.format(url=repository_url(repository), branch=repository_branch(repository),
                           tag=release_tag(repository), field=MODE_FIELD, keep=KEEP_MODE,
                           choices=json.dumps(list(MODE_CHOICES)), variable=REPOSITORY_VARIABLE,
                           long_chapters=chapter_numbers())


def apply(notebook: Path, source: str) -> bool:
    """Make ``source`` the first code cell of ``notebook`` (tagged ``remove-cell``); True when the file changed.

    The file keeps its layout (one-space indent, keys in their order), so only that cell's lines change.
    """
    text = notebook.read_text(encoding="utf-8")
    content = json.loads(text)
    first = next(cell for cell in content["cells"] if cell["cell_type"] == "code")
    first["source"] = source.splitlines(keepends=True)
    tags = first["metadata"].setdefault("tags", [])
    if TAG not in tags:
        tags.append(TAG)
    new_text = json.dumps(content, indent=1, ensure_ascii=False) + "\n"
    if new_text == text:
        return False
    notebook.write_text(new_text, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m classroom.colab_cell", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to rewrite (default: chapters/*.ipynb)")
    notebooks = parser.parse_args(argv).notebooks or sorted((REPOSITORY / "chapters").glob("*.ipynb"))
    source = render()
    changed = [notebook for notebook in notebooks if apply(notebook, source)]
    print(f"Colab install cell ({release_tag()}) written into {len(changed)} of {len(notebooks)} notebooks"
          + (": " + ", ".join(notebook.name for notebook in changed) if changed else ""))


if __name__ == "__main__":
    main()
