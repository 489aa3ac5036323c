"""classroom.colab_cell: one text for the Colab install cell, and what that cell does on Colab.

The cell is run as Colab runs it (a fake ``google.colab`` module makes it act) against a git repository made in a
temporary folder: with the release's tag, without it, and with the repository unreachable. The package in that
repository is a small stand-in for cnn_course (its own build backend, no dependencies), so that pip installs it
into a fresh environment with no package index and nothing goes to the network.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

from classroom import colab_cell

REPOSITORY = Path(__file__).resolve().parents[2]
VERSION = "1.0.0"
TAG = f"v{VERSION}"
# What the second cell of a chapter needs: cnn_course, imported after the first cell in the same kernel.
NEXT_CELL = """
try:
    import cnn_course
except ModuleNotFoundError:
    print("next cell: no cnn_course")
else:
    print("next cell: cnn_course from", cnn_course.BUILT_FROM)
"""


def copy_of_repository_files(tmp_path, version=VERSION, url="https://github.com/you/your-fork", branch="main"):
    (tmp_path / "src" / "cnn_course").mkdir(parents=True)
    (tmp_path / "src" / "cnn_course" / "__init__.py").write_text(f'"""Doc."""\n\n__version__ = "{version}"\n')
    (tmp_path / "_config.yml").write_text(f"repository:\n  url: {url}\n  branch: {branch}\n")
    return tmp_path


# A PEP 517 backend of a few lines: pip builds the stand-in package without setuptools or wheel, offline.
BACKEND = '''
import base64, hashlib, pathlib, zipfile

def _digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    version = pathlib.Path("VERSION").read_text().strip()
    info = f"cnn_course-{version}.dist-info"
    files = {"cnn_course/__init__.py": pathlib.Path("cnn_course.py").read_bytes(),
             f"{info}/METADATA": f"Metadata-Version: 2.1\\nName: cnn-course\\nVersion: {version}\\n".encode(),
             f"{info}/WHEEL": b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}
    record = "".join(f"{name},{_digest(data)},{len(data)}\\n" for name, data in files.items()) + f"{info}/RECORD,,\\n"
    name = f"cnn_course-{version}-py3-none-any.whl"
    with zipfile.ZipFile(pathlib.Path(wheel_directory) / name, "w") as wheel:
        for path, data in [*files.items(), (f"{info}/RECORD", record.encode())]:
            wheel.writestr(path, data)
    return name
'''


def git(folder, *arguments):
    identity = ["-c", "user.name=Course", "-c", "user.email=course@example.org"]
    subprocess.run(["git", *identity, *arguments], cwd=folder, check=True, capture_output=True)


def origin(tmp_path, *, tagged):
    """A repository whose commit tagged ``v1.0.0`` builds a cnn_course saying "the release", and whose main branch,
    one commit later, one saying "main"; the tag is deleted when ``tagged`` is False."""
    folder = tmp_path / "origin"
    folder.mkdir()
    (folder / "backend.py").write_text(BACKEND)
    (folder / "pyproject.toml").write_text('[build-system]\nrequires = []\nbuild-backend = "backend"\n'
                                           'backend-path = ["."]\n')
    (folder / "VERSION").write_text(VERSION)
    git(folder, "init", "--quiet", "--initial-branch=main")
    for built_from in ("the release", "main"):
        (folder / "cnn_course.py").write_text(f'BUILT_FROM = "{built_from}"\n')
        git(folder, "add", ".")
        git(folder, "commit", "--quiet", "-m", built_from)
        if built_from == "the release":
            git(folder, "tag", TAG)
    if not tagged:
        git(folder, "tag", "-d", TAG)
    # file://localhost/...: pip before 24 refuses a git+file:/// URL (no host), git reads both
    return f"file://localhost{folder}"


def fresh_python(tmp_path):
    """The interpreter of a new environment with pip and nothing else, as Colab's has no cnn_course."""
    environment = tmp_path / "environment"
    venv.create(environment, with_pip=True)
    return environment / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run_on_colab(python, cell, url, tmp_path):
    """Run the cell, then the next cell's import, in one process that looks like a Colab kernel."""
    script = tmp_path / "kernel.py"
    script.write_text("import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')\n"
                      f"exec(compile({cell!r}, 'colab-cell', 'exec'))\n{NEXT_CELL}")
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("PIP_", "CNN_COURSE"))}
    environment |= {colab_cell.REPOSITORY_VARIABLE: url, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                    "no_proxy": "*", "NO_PROXY": "*"}
    return subprocess.run([str(python), str(script)], capture_output=True, text=True, env=environment, timeout=300,
                          cwd=tmp_path)


def cell_for_version(tmp_path):
    return colab_cell.render(copy_of_repository_files(tmp_path / "checkout"))


def test_the_cell_installs_the_tagged_release_when_the_repository_has_it(tmp_path):
    url = origin(tmp_path, tagged=True)
    done = run_on_colab(fresh_python(tmp_path), cell_for_version(tmp_path), url, tmp_path)
    assert done.stdout.splitlines() == [f"Installed cnn_course {TAG}, the release this notebook was written for.",
                                        "next cell: cnn_course from the release"], done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_without_the_tag_the_cell_installs_the_main_branch_and_says_so_in_one_line(tmp_path):
    url = origin(tmp_path, tagged=False)
    done = run_on_colab(fresh_python(tmp_path), cell_for_version(tmp_path), url, tmp_path)
    said = f"Release {TAG} is not on {url} yet: installed cnn_course from its main branch."
    assert done.stdout.splitlines() == [said, "next cell: cnn_course from main"], done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_with_the_repository_unreachable_the_cell_ends_with_what_to_do_and_no_traceback(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/cnn-course.git"
    # -S: an interpreter that sees no installed package, as a new runtime that could not install the course
    python_without_packages = tmp_path / "python"
    python_without_packages.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    python_without_packages.chmod(0o755)
    done = run_on_colab(python_without_packages, cell_for_version(tmp_path), url, tmp_path)
    message, next_cell = done.stdout.splitlines()
    assert message.startswith(f"cnn_course was not installed: {url} cannot be reached (")
    assert "online" in message and message.endswith("then run this cell again.")
    assert next_cell == "next cell: no cnn_course"
    assert "Traceback" not in done.stdout + done.stderr and done.returncode == 0


def test_a_failed_install_ends_with_pips_reason_and_what_to_do(tmp_path):
    url = origin(tmp_path, tagged=True)
    backend = tmp_path / "origin" / "backend.py"
    backend.write_text(backend.read_text() + "\ndef build_wheel(*arguments, **settings):\n"
                       "    raise SystemExit('this package does not build')\n")
    git(tmp_path / "origin", "commit", "--quiet", "-am", "broken")
    git(tmp_path / "origin", "tag", "-f", TAG)
    done = run_on_colab(fresh_python(tmp_path), cell_for_version(tmp_path), url, tmp_path)
    message, next_cell = done.stdout.splitlines()
    assert message.startswith(f"cnn_course was not installed: pip failed on {url}@{TAG} (")
    assert message.endswith("Run this cell again; if it fails again, report this message.")
    assert next_cell == "next cell: no cnn_course"
    assert "Traceback" not in done.stdout + done.stderr and done.returncode == 0


# ---- The mode: the cell keeps a mode already set, and the menu's choice wins.

def run_cell_in_this_process(monkeypatch, source, tmp_path):
    """The cell as a Colab kernel runs it, its install skipped (unreachable repository), in this process."""
    monkeypatch.setitem(sys.modules, "google.colab", type(sys)("google.colab"))
    monkeypatch.setenv(colab_cell.REPOSITORY_VARIABLE, str(tmp_path / "no-repository"))
    exec(compile(source, "colab-cell", "exec"), {})


def with_menu(source, choice):
    """The cell as Colab's form rewrites it when the learner picks ``choice`` in the menu."""
    default = f'{colab_cell.MODE_FIELD} = "{colab_cell.KEEP_MODE}"  # @param'
    assert default in source
    return source.replace(default, f'{colab_cell.MODE_FIELD} = "{choice}"  # @param')


def test_the_menus_default_keeps_a_mode_already_set(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CNN_COURSE_MODE", "quick")
    run_cell_in_this_process(monkeypatch, colab_cell.render(), tmp_path)
    assert os.environ["CNN_COURSE_MODE"] == "quick"
    assert "was not installed" in capsys.readouterr().out


def test_the_menus_default_leaves_full_mode_when_no_mode_is_set(monkeypatch, tmp_path):
    from cnn_course.settings import mode

    monkeypatch.delenv("CNN_COURSE_MODE", raising=False)
    run_cell_in_this_process(monkeypatch, colab_cell.render(), tmp_path)
    assert "CNN_COURSE_MODE" not in os.environ and mode() == "full"


@pytest.mark.parametrize(("already", "choice"), [(None, "quick"), ("quick", "full"), ("full", "quick")])
def test_a_mode_chosen_in_the_menu_is_the_mode(monkeypatch, tmp_path, already, choice):
    if already is None:
        monkeypatch.delenv("CNN_COURSE_MODE", raising=False)
    else:
        monkeypatch.setenv("CNN_COURSE_MODE", already)
    run_cell_in_this_process(monkeypatch, with_menu(colab_cell.render(), choice), tmp_path)
    assert os.environ["CNN_COURSE_MODE"] == choice


def test_the_cell_runs_outside_colab_without_touching_the_mode_or_installing(monkeypatch):
    monkeypatch.setenv("CNN_COURSE_MODE", "quick")
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    exec(compile(with_menu(colab_cell.render(), "full"), "colab-cell", "exec"), {})
    assert os.environ["CNN_COURSE_MODE"] == "quick" and calls == []


def test_every_way_of_choosing_the_mode_names_the_cells_menu_and_none_is_overridden():
    """The cost boxes, the README and the setup page say the same: on Colab, the MODE menu of the first cell;
    outside Colab, CNN_COURSE_MODE before Jupyter starts. None tells a Colab learner to set the variable in a
    cell (the cell would keep it now, but two ways to do one thing is one too many)."""
    from cnn_course.run_times import SWITCH_MODES

    menu = f"`quick` in the `{colab_cell.MODE_FIELD}` menu of the chapter's first cell"
    setup = "".join("".join(cell["source"]) for cell in
                    json.loads((REPOSITORY / "chapters" / "setup.ipynb").read_text())["cells"]
                    if cell["cell_type"] == "markdown")
    readme = (REPOSITORY / "README.md").read_text()
    for where, text in (("the cost box", SWITCH_MODES), ("README.md", readme), ("the setup page", setup)):
        flat = " ".join(text.split())
        assert menu in flat, f"{where} does not tell Colab learners to choose {menu}"
        assert "CNN_COURSE_MODE=quick jupyter lab" in flat, f"{where} does not say how to set the mode locally"
        assert 'os.environ["CNN_COURSE_MODE"]' not in text, f"{where} tells learners to set the variable in a cell"
    assert f'# @param {json.dumps(list(colab_cell.MODE_CHOICES))}' in colab_cell.render()
    assert "quick" in colab_cell.MODE_CHOICES and colab_cell.MODE_CHOICES[0] == colab_cell.KEEP_MODE


# ---- The text of the cell.

def test_the_cell_installs_the_release_tagged_from_the_version_on_the_configured_repository(tmp_path):
    source = colab_cell.render(copy_of_repository_files(tmp_path, "1.2.3", branch="trunk"))
    assert '"CNN_COURSE_REPOSITORY", "https://github.com/you/your-fork")' in source
    assert '"refs/tags/v1.2.3"' in source and 'f"cnn-course @ git+{REPOSITORY}@{ref}"' in source
    assert 'ref = "v1.2.3" if tags.stdout.strip() else "trunk"' in source
    assert "(release v1.2.3)" in source and "%pip" not in source


def test_the_tag_follows_the_package_version():
    version = colab_cell.package_version()
    assert colab_cell.release_tag() == f"v{version}"
    assert f'__version__ = "{version}"' in (REPOSITORY / "src/cnn_course/__init__.py").read_text()


def test_the_cell_acts_on_colab_only_and_tells_mode_gpu_and_cost():
    source = colab_cell.render()
    guarded = source[source.index('if "google.colab" in sys.modules:'):]
    assert 'os.environ["CNN_COURSE_MODE"] = MODE' in guarded and '"pip", "install"' in guarded
    assert "Runtime > Change runtime type > T4 GPU" in source
    assert "a full run on Colab has not been measured" in source
    assert source.startswith("# @title ")
    assert all(len(line) <= 120 for line in source.splitlines())


def test_the_gpu_line_names_every_chapter_that_trains_long():
    """Chapters 6, 7 and 8 (what a convnet has learned), and any numbered chapter whose full run is measured above
    ten minutes."""
    from cnn_course.run_times import load

    source = " ".join(line.lstrip("# ") for line in colab_cell.render().splitlines())
    assert "only chapters 6, 7 and 8 train long enough for a GPU to matter" in source
    long_runs = [name for name, entries in load()["notebooks"].items() if name[:2].isdigit()
                 and (entries.get("full", {}).get("seconds") or 0) > 600]
    assert long_runs and set(long_runs) <= set(colab_cell.LONG_TRAINING_CHAPTERS), long_runs
    assert colab_cell.chapter_numbers(("05_pooling",)) == "chapter 5"


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


def test_the_cell_reads_as_python(tmp_path):
    compile(textwrap.dedent(colab_cell.render(copy_of_repository_files(tmp_path))), "colab-cell", "exec")
