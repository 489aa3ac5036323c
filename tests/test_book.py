"""The site builds with warnings as errors: a broken notebook, reference or citation fails the test suite."""

import subprocess
import sys
from pathlib import Path

import yaml

REPOSITORY = Path(__file__).resolve().parents[1]


def test_the_book_builds_without_warnings(tmp_path):
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    run = subprocess.run(
        [str(jupyter_book), "build", str(REPOSITORY), "--path-output", str(tmp_path), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, timeout=1200,
    )
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-5000:]
    html = tmp_path / "_build" / "html"
    assert (html / "index.html").is_file()
    toc = yaml.safe_load((REPOSITORY / "_toc.yml").read_text())
    pages = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    for page in pages:
        built = html / f"{page}.html"
        assert built.is_file(), f"no page for {page}"
        assert "Traceback" not in built.read_text(), f"{page} shows a traceback"
