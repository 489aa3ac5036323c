"""classroom.bundle: the offline classroom bundle holds what a classroom without internet needs, and installs.

The end-to-end test builds a Linux bundle as `make bundle` does (with the student release of the notebooks),
installs from it into a fresh environment with every package index unreachable and runs chapter 1 in quick mode
from it. It downloads the learner install (the TensorFlow wheel
alone is about 600 MB) and installs it, so it runs only with CNN_COURSE_BUNDLE_TEST=1: `make test-bundle`,
which .ci/run runs as a step of its own after `make test`.
"""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from classroom.bundle import build as bundle
from classroom.student_release.release import write_release

REPOSITORY = Path(__file__).resolve().parents[2]
DATASETS = Path(os.environ.get("CNN_COURSE_DATASETS", REPOSITORY.parent / "shared" / "datasets"))
# pytest is not among them: students run the homework's tests themselves, so the learner extra installs it.
DEVELOPER_TOOLS = ("jupyter_book", "playwright", "ruff", "nbval", "nbgrader", "actionlint")


def test_readme_names_the_python_and_says_how_to_install_serve_and_seed():
    text = bundle.readme(["linux", "windows"], ["3.12"], ["01_visual_cortex.ipynb"])
    assert "Python 3.12" in text and "the wheels install on no other version" in text
    assert 'pip install --no-index --find-links wheels "cnn-course[learner]"' in text
    assert "cnn-course-env\\Scripts\\python -m pip install" in text
    assert "python -m http.server --bind 127.0.0.1 --directory site 8000" in text
    assert "seed_keras_cache('keras/datasets')" in text and "~/.keras/" in text
    assert bundle.PLATFORMS["linux"].description in text and bundle.PLATFORMS["windows"].description in text
    assert "tensorflow==2.21.*" in text


def test_each_platform_gives_pip_tags_for_its_wheels():
    linux = bundle.PLATFORMS["linux"].tags
    assert {"manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"} <= set(linux)
    assert bundle.PLATFORMS["macos"].tags == ("macosx_12_0_arm64",)
    assert bundle.PLATFORMS["windows"].tags == ("win_amd64",)


def test_download_asks_pip_for_binary_wheels_of_the_platform_and_python_at_the_book_versions(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(bundle, "pip", lambda *arguments: calls.append(arguments))
    package = tmp_path / "cnn_course-0.1.0-py3-none-any.whl"
    bundle.download_wheels(tmp_path, package, "windows", "3.12")
    (arguments,) = calls
    assert arguments[0] == "download" and "--only-binary=:all:" in arguments
    assert arguments[arguments.index("--platform") + 1] == "win_amd64"
    assert arguments[arguments.index("--python-version") + 1] == "3.12"
    assert arguments[arguments.index("--constraint") + 1] == str(bundle.PINS)
    assert arguments[-1] == f"cnn-course[learner] @ {package.as_uri()}"


def test_download_names_the_package_wheel_by_an_absolute_uri_from_a_relative_path(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(bundle, "pip", lambda *arguments: calls.append(arguments))
    monkeypatch.chdir(tmp_path)
    bundle.download_wheels(Path("wheels"), Path("wheels/cnn_course-0.1.0-py3-none-any.whl"), "linux", "3.11")
    assert calls[0][-1] == f"cnn-course[learner] @ {(tmp_path / 'wheels/cnn_course-0.1.0-py3-none-any.whl').as_uri()}"


def test_build_refuses_an_unknown_platform_and_a_missing_site(tmp_path):
    with pytest.raises(ValueError, match="unknown platform android"):
        bundle.build(tmp_path / "out", tmp_path, tmp_path, tmp_path, platforms=["android"])
    with pytest.raises(FileNotFoundError, match="make book"):
        bundle.build(tmp_path / "out", tmp_path / "no-site", tmp_path, tmp_path)


def test_zip_holds_the_folder_under_its_name_with_wheels_stored_as_they_are(tmp_path):
    folder = tmp_path / "bundle"
    (folder / "wheels").mkdir(parents=True)
    (folder / "wheels" / "a-1.0-py3-none-any.whl").write_bytes(b"wheel" * 100)
    (folder / "README.md").write_text("read me " * 100)
    with zipfile.ZipFile(bundle.zip_folder(folder)) as zipped:
        members = {info.filename: info.compress_type for info in zipped.infolist()}
    assert members == {"bundle/README.md": zipfile.ZIP_DEFLATED,
                       "bundle/wheels/a-1.0-py3-none-any.whl": zipfile.ZIP_STORED}


def offline_environment(home):
    """This process's environment with every package index out of reach: pip's configuration files ignored,
    no index or find-links from the environment, and any connection sent to a closed local port."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("PIP_")}
    unreachable = "http://127.0.0.1:9"
    environment |= {"PIP_CONFIG_FILE": os.devnull, "PIP_INDEX_URL": f"{unreachable}/simple", "PIP_NO_CACHE_DIR": "1",
                    "HTTP_PROXY": unreachable, "HTTPS_PROXY": unreachable, "http_proxy": unreachable,
                    "https_proxy": unreachable, "HOME": str(home)}
    return environment


@pytest.mark.skipif(os.environ.get("CNN_COURSE_BUNDLE_TEST") != "1",
                    reason="slow (downloads and installs TensorFlow): make test-bundle runs it, and .ci/run does")
def test_a_fresh_environment_installs_from_the_bundle_with_no_index_and_runs_chapter_1(book_build, tmp_path):
    assert book_build.returncode == 0, book_build.log[-3000:]
    if not DATASETS.is_dir():
        pytest.skip(f"no dataset files at {DATASETS} (set CNN_COURSE_DATASETS)")
    student = write_release(sorted((REPOSITORY / "chapters").glob("*.ipynb")), tmp_path / "student")
    folder = bundle.build(tmp_path / "cnn-course-bundle", book_build.html, DATASETS, student[0].parent)

    wheels = sorted(path.name for path in (folder / "wheels").glob("*.whl"))
    assert any(name.startswith("tensorflow-2.21.") for name in wheels), wheels
    assert any(name.startswith("keras-3.15.") for name in wheels)
    assert f"cnn_course-{bundle.package_version()}-py3-none-any.whl" in wheels
    assert not [name for name in wheels if name.lower().startswith(DEVELOPER_TOOLS)]
    assert any(name.startswith("pytest-") for name in wheels)
    assert (folder / "site" / "index.html").is_file()
    assert (folder / "keras" / "datasets" / "mnist.npz").is_file()
    assert len(list((folder / "keras" / "datasets" / "fashion-mnist").glob("*.gz"))) == 4
    assert (folder / "notebooks" / "01_visual_cortex.ipynb").is_file()
    assert f"Python {bundle.this_python()}" in (folder / "README.md").read_text()
    archive = folder.with_name(folder.name + ".zip")
    with zipfile.ZipFile(archive) as zipped:
        assert "cnn-course-bundle/README.md" in zipped.namelist()

    environment = offline_environment(tmp_path / "home")
    learner = tmp_path / "learner-env"
    subprocess.run([sys.executable, "-m", "venv", str(learner)], check=True, env=environment)
    python = learner / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-index", "--find-links", "wheels",
                              "cnn-course[learner]"], cwd=folder, env=environment, capture_output=True, text=True)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=json"], env=environment,
                            capture_output=True, text=True, check=True)
    installed = {package["name"].lower().replace("_", "-") for package in json.loads(listed.stdout)}
    assert {"tensorflow", "keras", "jupyterlab", "cnn-course", "pytest"} <= installed
    assert not installed & {"jupyter-book", "playwright", "ruff", "nbval", "nbgrader"}

    run = environment | {"CNN_COURSE_MODE": "quick", "CNN_COURSE_PROGRESS": "off", "TF_CPP_MIN_LOG_LEVEL": "3",
                         "KERAS_HOME": str(folder / "keras")}
    executed = subprocess.run([str(learner / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                               "--output-dir", str(tmp_path / "ran"), "notebooks/01_visual_cortex.ipynb"],
                              cwd=folder, env=run, capture_output=True, text=True, timeout=900)
    assert executed.returncode == 0, executed.stderr[-3000:]
    ran = json.loads((tmp_path / "ran" / "01_visual_cortex.ipynb").read_text())
    outputs = [output for cell in ran["cells"] for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output["output_type"] == "error"]
    assert any("mode: quick" in "".join(output.get("text", "")) for output in outputs)
    sys.stdout.write(f"\nbundle: {bundle.size(folder) / 1e6:,.0f} MB in {folder.name}/, "
                     f"{bundle.size(archive) / 1e6:,.0f} MB zipped; {len(wheels)} wheels\n")
