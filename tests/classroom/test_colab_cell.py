"""classroom.colab_cell: one text for the Colab install cell, from the version and the configured repository."""

import json
import shutil
from pathlib import Path

import pytest

from classroom import colab_cell

REPOSITORY = Path(__file__).resolve().parents[2]


def copy_of_repository_files(tmp_path, version="1.2.3", url="https://github.com/you/your-fork"):
    (tmp_path / "src" / "cnn_course").mkdir(parents=True)
    (tmp_path / "src" / "cnn_course" / "__init__.py").write_text(f'"""Doc."""\n\n__version__ = "{version}"\n')
    (tmp_path / "_config.yml").write_text(f"repository:\n  url: {url}\n  branch: main\n")
    return tmp_path


def test_the_cell_installs_the_release_tagged_from_the_version_on_the_configured_repository(tmp_path):
    source = colab_cell.render(copy_of_repository_files(tmp_path))
    assert '%pip install --quiet "cnn-course @ git+https://github.com/you/your-fork@v1.2.3"' in source
    assert "(release v1.2.3)" in source
    assert "@main" not in source


def test_the_tag_follows_the_package_version():
    version = colab_cell.package_version()
    assert colab_cell.release_tag() == f"v{version}"
    assert f'__version__ = "{version}"' in (REPOSITORY / "src/cnn_course/__init__.py").read_text()


def test_the_cell_acts_on_colab_only_and_tells_mode_gpu_and_cost():
    source = colab_cell.render()
    guarded = source[source.index('if "google.colab" in sys.modules:'):]
    assert 'os.environ["CNN_COURSE_MODE"] = MODE' in guarded and "%pip install" in guarded
    assert 'MODE = "full"  # @param ["full", "quick"]' in source  # a menu on Colab, a plain assignment elsewhere
    assert "Runtime > Change runtime type > T4 GPU" in source
    assert "a full run on Colab has not been measured" in source
    assert source.startswith("# @title ")
    assert all(len(line) <= 120 for line in source.splitlines())


def test_the_cell_runs_outside_colab_without_touching_the_mode(monkeypatch):
    monkeypatch.setenv("CNN_COURSE_MODE", "quick")
    code = "\n".join(line for line in colab_cell.render().splitlines() if "%pip" not in line)
    exec(compile(code, "colab-cell", "exec"), {})
    import os

    assert os.environ["CNN_COURSE_MODE"] == "quick"


def test_apply_rewrites_only_the_first_code_cell(tmp_path):
    notebook = tmp_path / "setup.ipynb"
    shutil.copy(REPOSITORY / "chapters" / "setup.ipynb", notebook)
    before = json.loads(notebook.read_text())
    assert colab_cell.apply(notebook, "print('new cell')") is True
    after = json.loads(notebook.read_text())
    first = next(i for i, cell in enumerate(after["cells"]) if cell["cell_type"] == "code")
    assert after["cells"][first]["source"] == ["print('new cell')"]
    assert "remove-cell" in after["cells"][first]["metadata"]["tags"]
    del before["cells"][first]["source"], after["cells"][first]["source"]
    assert before == after
    assert colab_cell.apply(notebook, "print('new cell')") is False


def test_main_writes_the_rendered_cell_into_the_notebooks_named(tmp_path, capsys):
    notebook = tmp_path / "chapter.ipynb"
    shutil.copy(REPOSITORY / "chapters" / "setup.ipynb", notebook)
    colab_cell.apply(notebook, "old")
    colab_cell.main([str(notebook)])
    code = [cell for cell in json.loads(notebook.read_text())["cells"] if cell["cell_type"] == "code"]
    assert "".join(code[0]["source"]) == colab_cell.render()
    assert "into 1 of 1 notebooks: chapter.ipynb" in capsys.readouterr().out


def test_a_version_that_cannot_be_read_is_an_error(tmp_path):
    (tmp_path / "src" / "cnn_course").mkdir(parents=True)
    (tmp_path / "src" / "cnn_course" / "__init__.py").write_text("VERSION = '1'\n")
    with pytest.raises(LookupError, match="__version__"):
        colab_cell.package_version(tmp_path)
