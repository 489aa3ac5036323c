"""classroom.release: the release tag is made when missing, and a package changed under an old version is refused.

Each test makes a small git repository in a temporary folder (the version file, one module, a README) and runs the
command the release workflow runs, ``python -m classroom.release check|tag``.
"""

import subprocess
import sys
from pathlib import Path

from classroom import release

REPOSITORY = Path(__file__).resolve().parents[2]


def git(folder, *arguments):
    identity = ["-c", "user.name=Course", "-c", "user.email=course@example.org"]
    return subprocess.run(["git", *identity, *arguments], cwd=folder, check=True, capture_output=True,
                          text=True).stdout.strip()


def set_version(folder, version):
    (folder / "src" / "cnn_course" / "__init__.py").write_text(f'"""Doc."""\n\n__version__ = "{version}"\n')


def commit(folder, message):
    git(folder, "add", ".")
    git(folder, "commit", "--quiet", "-m", message)
    return git(folder, "rev-parse", "HEAD")


def repository(tmp_path, version="1.0.0"):
    folder = tmp_path / "course"
    (folder / "src" / "cnn_course").mkdir(parents=True)
    set_version(folder, version)
    (folder / "src" / "cnn_course" / "conv.py").write_text("KERNEL = 3\n")
    (folder / "README.md").write_text("The course.\n")
    git(folder, "init", "--quiet", "--initial-branch=main")
    commit(folder, "first")
    return folder


def run(folder, command):
    return subprocess.run([sys.executable, "-m", "classroom.release", command, "--repository", str(folder)],
                          cwd=REPOSITORY, capture_output=True, text=True)


def test_tag_makes_the_versions_tag_on_the_checked_out_commit_once(tmp_path):
    folder = repository(tmp_path)
    head = git(folder, "rev-parse", "HEAD")
    made = run(folder, "tag")
    assert made.returncode == 0 and made.stdout == "v1.0.0\n", made.stderr
    assert git(folder, "rev-parse", "v1.0.0^{commit}") == head
    again = run(folder, "tag")
    assert again.returncode == 0 and again.stdout == "" and "exists already" in again.stderr


def test_a_change_outside_the_package_needs_no_new_version(tmp_path):
    folder = repository(tmp_path)
    release.make_tag(folder)
    (folder / "README.md").write_text("The course, better explained.\n")
    commit(folder, "prose")
    assert run(folder, "check").returncode == 0
    assert release.make_tag(folder) is None


def test_a_package_changed_since_the_tag_without_a_new_version_fails_and_says_what_to_do(tmp_path):
    folder = repository(tmp_path)
    release.make_tag(folder)
    (folder / "src" / "cnn_course" / "conv.py").write_text("KERNEL = 5\n")
    commit(folder, "a new kernel size")
    for command in ("check", "tag"):
        done = run(folder, command)
        assert done.returncode == 1 and done.stdout == ""
        assert "src/cnn_course changed since v1.0.0 (src/cnn_course/conv.py)" in done.stderr
        assert "Bump __version__ in src/cnn_course/__init__.py, run make colab-cell, and commit." in done.stderr
    assert "v1.0.1" not in git(folder, "tag")


def test_a_bumped_version_passes_and_gets_its_tag(tmp_path):
    folder = repository(tmp_path)
    release.make_tag(folder)
    (folder / "src" / "cnn_course" / "conv.py").write_text("KERNEL = 5\n")
    set_version(folder, "1.1.0")
    head = commit(folder, "a new kernel size, version 1.1.0")
    assert run(folder, "check").returncode == 0
    assert run(folder, "tag").stdout == "v1.1.0\n"
    assert git(folder, "rev-parse", "v1.1.0^{commit}") == head
    assert git(folder, "tag").split() == ["v1.0.0", "v1.1.0"]


def test_without_any_tag_the_check_passes_and_says_the_tag_comes_with_main(tmp_path):
    done = run(repository(tmp_path), "check")
    assert done.returncode == 0 and "v1.0.0 does not exist yet" in done.stderr
