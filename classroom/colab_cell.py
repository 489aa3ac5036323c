"""The Colab install cell: the first code cell of every notebook, written here once and applied to all.

Colab opens a copy of one notebook, without the repository, so that cell installs the helper package from
a tagged release (``v`` + ``cnn_course.__version__``, on the repository of ``_config.yml``) and, being the
first thing a Colab learner runs, says how to choose the mode and a GPU runtime and what a full run costs.
Elsewhere it does nothing (the package is installed and the mode comes from ``CNN_COURSE_MODE``). The site
leaves it out (tag ``remove-cell``). ``python -m classroom.colab_cell [NOTEBOOK ...]`` (``make colab-cell``)
rewrites it in the notebooks named, all of ``chapters/`` by default; tests/test_notebooks.py checks that
every notebook holds exactly :func:`render`'s text.
"""

from __future__ import annotations

import argparse
import ast
import json
from pathlib import Path

import yaml

REPOSITORY = Path(__file__).resolve().parents[1]
TAG = "remove-cell"

TEMPLATE = '''\
# @title On Colab, run this cell first: it installs the course's helper package (release {tag}) and sets the mode
# - Mode: "full" trains as the text describes; "quick" trains on small subsets for a few epochs, for a first
#   look or a short session. Choose it here (on Colab, in the menu beside this cell), then Runtime > Run all.
# - GPU: Runtime > Change runtime type > T4 GPU. Every chapter runs on a CPU; only chapters 6 and 7 train long
#   enough for a GPU to matter. The first line the next cell prints says whether TensorFlow found one.
# - Cost: a full run on Colab has not been measured. The box at the top of each chapter that trains gives its
#   measured time on a 2-core CPU, in full and in quick mode (the book's Run times page lists every chapter).
# Elsewhere this cell does nothing: the package is installed, and the mode comes from CNN_COURSE_MODE.
MODE = "full"  # @param ["full", "quick"]

import os
import sys

if "google.colab" in sys.modules:
    os.environ["CNN_COURSE_MODE"] = MODE
    %pip install --quiet "cnn-course @ git+{url}@{tag}"'''


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


def repository_url(repository: Path = REPOSITORY) -> str:
    """The repository's URL, set once in _config.yml (``repository.url``), which forks change."""
    return yaml.safe_load((repository / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]


def render(repository: Path = REPOSITORY) -> str:
    """The source of the Colab install cell, for the version and the repository of this checkout."""
    return TEMPLATE.format(url=repository_url(repository), tag=release_tag(repository))


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
