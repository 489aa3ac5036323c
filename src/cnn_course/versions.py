"""Which versions the course is tested on, and what it means when a learner's differ (the setup page).

The book's stored outputs come from one stack, the *pinned* one; ``make test-compat`` also runs every
notebook on *Colab*'s stack and on the *oldest* versions the package declares. Each stack is a pip
constraints file in ``stacks/`` (package data, so a Colab copy of the setup page reads them too):
``stacks/pinned.txt`` is what requirements.txt and requirements-learner.txt install, ``stacks/colab.txt``
names the announcement it comes from, and ``stacks/oldest.txt`` holds exactly the floors of pyproject.toml.
:func:`version_check` compares the running TensorFlow and Keras with them, and says which differences
are expected and which are a bug to report.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata, resources

from packaging.requirements import Requirement
from packaging.version import Version

STACKS = ("pinned", "colab", "oldest")
# The two libraries whose version changes what the notebooks print.
LIBRARIES = {"tensorflow": "TensorFlow", "keras": "Keras"}


def stack_pins(name: str) -> dict[str, Requirement]:
    """The pins of one stack (``pinned``, ``colab`` or ``oldest``), by package name, e.g. ``{"keras": keras==3.10.0}``.

    Raises:
        ValueError: ``name`` is not one of :data:`STACKS`.
    """
    if name not in STACKS:
        raise ValueError(f"{name!r} is not a stack the course is tested on; use one of {', '.join(STACKS)}.")
    text = (resources.files("cnn_course") / "stacks" / f"{name}.txt").read_text(encoding="utf-8")
    requirements = [Requirement(line.split("#")[0]) for line in text.splitlines() if line.split("#")[0].strip()]
    return {requirement.name: requirement for requirement in requirements}


def installed_versions(packages=tuple(LIBRARIES)) -> dict[str, str | None]:
    """The installed version of each package (``None`` for a package that is not installed)."""
    versions = {}
    for package in packages:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def floors() -> dict[str, str]:
    """The oldest tested version of each package the helper package requires, e.g. ``{"tensorflow": "2.16.1", ...}``.

    Those of the ``learner`` extra (JupyterLab, ipywidgets) are left out: Colab and other front ends bring their own.
    """
    oldest = {name: _version_of(pin) for name, pin in stack_pins("oldest").items()}
    try:
        required = [Requirement(text) for text in metadata.requires("cnn-course") or []]
    except metadata.PackageNotFoundError:
        return oldest
    runtime = {requirement.name for requirement in required if requirement.marker is None}
    return {name: version for name, version in oldest.items() if name in runtime}


def too_old(installed: Mapping[str, str | None] | None = None) -> list[str]:
    """The packages older than the oldest version the course is tested on (or missing), e.g. ``["numpy"]``."""
    oldest = floors()
    installed = installed_versions(oldest) if installed is None else installed
    return [name for name, version in oldest.items()
            if installed.get(name) is None or Version(installed[name]) < Version(version)]


def _version_of(pin: Requirement) -> str:
    """The version a pin names: ``2.16.1`` for ``tensorflow==2.16.1``, ``2.21`` for ``tensorflow==2.21.*``."""
    return next(iter(pin.specifier)).version.removesuffix(".*")


def _described(stack: str) -> str:
    pins = stack_pins(stack)
    return " and ".join(f"{label} {_version_of(pins[name])}" for name, label in LIBRARIES.items())


def version_check(installed: Mapping[str, str | None] | None = None) -> str:
    """A few sentences on the running TensorFlow and Keras: the book's, tested, too old, or newer than tested.

    Args:
        installed: ``{"tensorflow": "2.19.0", "keras": "3.10.0"}``; the running versions when omitted.
    """
    installed = installed_versions() if installed is None else dict(installed)
    yours = " and ".join(f"{label} {installed.get(name) or '(missing)'}" for name, label in LIBRARIES.items())
    pinned = stack_pins("pinned")
    if all(installed.get(name) and Version(installed[name]) in pinned[name].specifier for name in LIBRARIES):
        return (f"{yours}: the versions the book's stored outputs come from. What you see should match the book, "
                "up to timings and the last digits of some numbers.")
    fix = ("The book's versions are one install away: python -m pip install -r requirements-learner.txt in a "
           "fresh environment (see Install above).")
    old = [LIBRARIES[name] for name in too_old(installed) if name in LIBRARIES]
    if old:
        return (f"{yours}: {' and '.join(old)} missing or older than the course supports (at least "
                f"{_described('oldest')}). {fix}")
    book = {name: Version(_version_of(pin)).release[:2] for name, pin in pinned.items()}
    newer = any(Version(installed[name]).release[:2] > book[name] for name in LIBRARIES)
    where = ("newer than the versions the course is tested on" if newer else
             f"not the book's ({_described('pinned')}) but within the range the course is tested on, from "
             f"{_described('oldest')} up to the book's, Colab's {_described('colab')} among them")
    return (f"{yours}: {where}. Expect timings, the last digits of printed numbers and the training results of "
            "chapters 6 to 8 to differ a little, and perhaps the wording of warnings and model summaries. An error "
            "is not expected: it is a bug to report, with the first line the chapter prints (its versions and "
            f"devices). {fix}")


__all__ = ["STACKS", "floors", "installed_versions", "stack_pins", "too_old", "version_check"]
