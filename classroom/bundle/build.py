"""Build the offline classroom bundle: ``python -m classroom.bundle --output DIR --site ... --platforms ...``.

The wheelhouse is made by ``pip download`` with ``--only-binary=:all:``, ``--platform`` and
``--python-version``, so that one machine fetches the wheels of Linux, macOS or Windows laptops. It holds
the learner install at the book's versions (``src/cnn_course/stacks/pinned.txt``) and the helper package's
own wheel, built here; learners install from it with ``pip install --no-index --find-links wheels``.
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from classroom.colab_cell import REPOSITORY, package_version


@dataclass(frozen=True)
class Platform:
    """The laptops a wheelhouse is for: how the README names them, and pip's ``--platform`` tags for them."""

    description: str
    tags: tuple[str, ...]


# pip expands a macOS tag to the older macOS versions, but not a manylinux_2_x tag: the Linux tags are listed.
PLATFORMS = {
    "linux": Platform("Linux on x86-64 (glibc 2.28 or newer: Debian 10, Ubuntu 20.04, Fedora 29 and later)",
                      tuple(f"manylinux_2_{minor}_x86_64" for minor in range(28, 16, -1))
                      + ("manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64")),
    "macos": Platform("macOS 12 or newer on Apple silicon (arm64)", ("macosx_12_0_arm64",)),
    "windows": Platform("Windows on x86-64", ("win_amd64",)),
}
PINS = REPOSITORY / "src" / "cnn_course" / "stacks" / "pinned.txt"
# Files that are compressed already: stored in the zip as they are, which is as small and much faster.
COMPRESSED = {".whl", ".gz", ".npz", ".zip", ".png", ".jpg", ".woff", ".woff2"}


def this_python() -> str:
    """The Python version of this machine, as ``--python-version`` takes it: ``3.11``."""
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def pip(*arguments: str) -> None:
    """Run this interpreter's pip; its output goes to the terminal, and a failure stops the build."""
    subprocess.run([sys.executable, "-m", "pip", *arguments], check=True)


def build_package_wheel(wheels: Path) -> Path:
    """The helper package's own wheel, built from this checkout (it is not on PyPI)."""
    version = package_version()
    for old in wheels.glob("cnn_course-*.whl"):
        old.unlink()
    pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(REPOSITORY))
    built = wheels / f"cnn_course-{version}-py3-none-any.whl"
    if not built.is_file():
        raise FileNotFoundError(f"pip wheel did not write {built.name} into {wheels}")
    return built


def download_wheels(wheels: Path, package: Path, platform: str, python_version: str) -> None:
    """Every wheel the learner install needs on ``platform`` with ``python_version``, into ``wheels``."""
    tags = [argument for tag in PLATFORMS[platform].tags for argument in ("--platform", tag)]
    pip("download", "--quiet", "--dest", str(wheels), "--find-links", str(wheels), "--only-binary=:all:",
        "--implementation", "cp", "--python-version", python_version, *tags, "--constraint", str(PINS),
        f"cnn-course[learner] @ {package.resolve().as_uri()}")


def readme(platforms: list[str], python_versions: list[str], notebooks: list[str]) -> str:
    """The bundle's README: what it holds, and how to read the site, install offline and seed the Keras cache."""
    version = package_version()
    pins = ", ".join(line.strip() for line in PINS.read_text().splitlines() if line.strip() and line[0] != "#")
    pythons = " or ".join(f"Python {v}" for v in python_versions)
    machines = "\n".join(f"- {PLATFORMS[name].description}" for name in platforms)
    return f"""# Convolutional Neural Networks, an executable course: classroom bundle

Made on {datetime.date.today().isoformat()} from version {version} of the course, for laptops with
{pythons} (check with `python --version`; the wheels install on no other version) running:

{machines}

| folder | what it holds |
| --- | --- |
| `site/` | the course's web pages, which need no internet |
| `notebooks/` | the {len(notebooks)} notebooks learners run |
| `keras/datasets/` | MNIST and Fashion-MNIST, laid out as Keras's cache |
| `wheels/` | every package the notebooks need ({pins}, JupyterLab, the course's helper package) |

## Read the site

From this folder, on any machine with Python: `python -m http.server --bind 127.0.0.1 --directory site 8000`,
then open <http://127.0.0.1:8000>. To serve a whole classroom from one machine, use `--bind 0.0.0.0` and open
`http://THAT-MACHINE:8000` on the others.

## Install, with no internet

From this folder, in a terminal (Windows: a Command Prompt):

```
python -m venv cnn-course-env
# Linux and macOS:
cnn-course-env/bin/python -m pip install --no-index --find-links wheels "cnn-course[learner]"
# Windows:
cnn-course-env\\Scripts\\python -m pip install --no-index --find-links wheels "cnn-course[learner]"
```

## Seed the Keras cache

Chapters 6 to 8 load the datasets with `keras.datasets`, which reads Keras's cache and would otherwise
download them. Copy the folder `keras/datasets` into the cache, `~/.keras/` (Windows: `%USERPROFILE%\\.keras\\`),
or let the course's package do it (Windows: `cnn-course-env\\Scripts\\python`):

```
cnn-course-env/bin/python -c "from cnn_course.data import seed_keras_cache; seed_keras_cache('keras/datasets')"
```

## Run the notebooks

`cnn-course-env/bin/jupyter lab notebooks` (Windows: `cnn-course-env\\Scripts\\jupyter lab notebooks`). For
a short session, quick mode trains on small subsets: set `CNN_COURSE_MODE=quick` before starting JupyterLab
(Windows: `set CNN_COURSE_MODE=quick`).
"""


def zip_folder(folder: Path) -> Path:
    """``folder.zip`` beside ``folder``, its members under the folder's name; compressed files stored as they are."""
    archive = folder.with_name(folder.name + ".zip")
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                method = zipfile.ZIP_STORED if path.suffix in COMPRESSED else zipfile.ZIP_DEFLATED
                zipped.write(path, path.relative_to(folder.parent), compress_type=method)
    return archive


def size(path: Path) -> int:
    """Bytes of a file, or of every file under a folder."""
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def build(output: Path, site: Path, datasets: Path, notebooks: Path, platforms: list[str] | None = None,
          python_versions: list[str] | None = None, archive: bool = True) -> Path:
    """Write the bundle into ``output`` (replacing it) and, with ``archive``, ``output.zip``; returns ``output``.

    Args:
        site: the built site (``_build/html``).
        datasets: dataset files laid out as Keras's cache (``mnist.npz``, ``fashion-mnist/*.gz``).
        notebooks: the folder of the notebooks learners run.
        platforms: keys of :data:`PLATFORMS` (default: Linux).
        python_versions: the learners' Python versions (default: this machine's).
    """
    platforms = platforms or ["linux"]
    python_versions = python_versions or [this_python()]
    unknown = [name for name in platforms if name not in PLATFORMS]
    if unknown:
        raise ValueError(f"unknown platform {', '.join(unknown)}; use any of {', '.join(PLATFORMS)}")
    for folder, what in ((site, "the built site (make book)"), (datasets, "the datasets"), (notebooks, "notebooks")):
        if not Path(folder).is_dir():
            raise FileNotFoundError(f"{folder} is not a folder: the bundle needs {what} there")
    output = Path(output).resolve()
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    shutil.copytree(site, output / "site")
    shutil.copytree(datasets, output / "keras" / "datasets", ignore=shutil.ignore_patterns("README*"))
    (output / "notebooks").mkdir()
    names = []
    for notebook in sorted(Path(notebooks).glob("*.ipynb")):
        shutil.copy2(notebook, output / "notebooks" / notebook.name)
        names.append(notebook.name)
    wheels = output / "wheels"
    wheels.mkdir()
    package = build_package_wheel(wheels)
    for platform in platforms:
        for python_version in python_versions:
            print(f"Wheels for {platform}, Python {python_version}", flush=True)
            download_wheels(wheels, package, platform, python_version)
    (output / "README.md").write_text(readme(platforms, python_versions, names), encoding="utf-8")
    print(f"Bundle: {output} ({size(output) / 1e6:,.0f} MB)")
    if archive:
        zipped = zip_folder(output)
        print(f"Zip: {zipped} ({size(zipped) / 1e6:,.0f} MB)")
    return output


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m classroom.bundle", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True, help="the bundle's folder (replaced)")
    parser.add_argument("--site", type=Path, required=True, help="the built site, e.g. _build/html")
    parser.add_argument("--datasets", type=Path, required=True, help="dataset files laid out as Keras's cache")
    parser.add_argument("--notebooks", type=Path, required=True, help="folder of the notebooks learners run")
    parser.add_argument("--platforms", nargs="+", choices=sorted(PLATFORMS), default=["linux"])
    parser.add_argument("--python-versions", nargs="+", default=[this_python()], help="e.g. 3.11 3.12")
    parser.add_argument("--no-zip", dest="archive", action="store_false", help="write the folder only")
    arguments = parser.parse_args(argv)
    build(arguments.output, arguments.site, arguments.datasets, arguments.notebooks, arguments.platforms,
          arguments.python_versions, arguments.archive)
