"""The release tag the Colab cell installs, ``v`` + ``cnn_course.__version__``: checked and made on ``main``.

A tag freezes the package that Colab copies of the notebooks install, so a change to ``src/cnn_course`` must come
with a new version, or the notebooks on ``main`` would run against a package that lacks it:

    python -m classroom.release check   # fails when src/cnn_course changed since the version's tag
    python -m classroom.release tag     # check, then tag HEAD v<version> when that tag does not exist yet;
                                        # prints the tag made (nothing when it existed)

``.github/workflows/release.yml`` runs ``check`` on every push and pull request, and ``tag`` on ``main`` once the
tests have passed, then pushes the tag. Both read the version from the source (no import, no TensorFlow) and ask
git only, so they run on a bare runner.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from classroom.colab_cell import REPOSITORY, release_tag

PACKAGE = "src/cnn_course"


class VersionNotBumped(Exception):
    """``src/cnn_course`` changed since the current version's tag, and the version is still that tag's."""


def _git(repository: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *arguments], cwd=repository, capture_output=True, text=True)


def tag_exists(tag: str, repository: Path = REPOSITORY) -> bool:
    return _git(repository, "rev-parse", "--quiet", "--verify", f"refs/tags/{tag}").returncode == 0


def changed_since(tag: str, repository: Path = REPOSITORY) -> list[str]:
    """The files of ``src/cnn_course`` that differ between ``tag`` and the checked-out commit."""
    done = _git(repository, "diff", "--name-only", tag, "HEAD", "--", PACKAGE)
    if done.returncode != 0:
        raise RuntimeError(f"git diff {tag} HEAD failed: {done.stderr.strip()}")
    return done.stdout.split()


def check(repository: Path = REPOSITORY) -> str:
    """The tag of the current version, after checking that the package has not changed since it was made.

    Raises:
        VersionNotBumped: the tag exists and ``src/cnn_course`` differs from it; the message says what to do.
    """
    tag = release_tag(repository)
    if tag_exists(tag, repository):
        changed = changed_since(tag, repository)
        if changed:
            listed = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
            raise VersionNotBumped(
                f"{PACKAGE} changed since {tag} ({listed}), but __version__ is still {tag[1:]}: Colab copies of the "
                f"notebooks install {tag} and would not get these changes. Bump __version__ in "
                f"{PACKAGE}/__init__.py, run make colab-cell, and commit.")
    return tag


def make_tag(repository: Path = REPOSITORY) -> str | None:
    """Tag the checked-out commit with the current version's tag when it does not exist yet; the tag made, or None."""
    tag = check(repository)
    if tag_exists(tag, repository):
        return None
    done = _git(repository, "tag", tag, "HEAD")
    if done.returncode != 0:
        raise RuntimeError(f"git tag {tag} failed: {done.stderr.strip()}")
    return tag


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classroom.release", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("check", "tag"))
    parser.add_argument("--repository", type=Path, default=REPOSITORY, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "check":
            tag = check(arguments.repository)
            state = "exists, and the package has not changed since" if tag_exists(tag, arguments.repository) \
                else "does not exist yet: it is made once this reaches main and the tests pass"
            print(f"{tag} {state}", file=sys.stderr)
        else:
            made = make_tag(arguments.repository)
            if made:
                print(made)
            else:
                print(f"{release_tag(arguments.repository)} exists already: nothing to tag", file=sys.stderr)
    except VersionNotBumped as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
