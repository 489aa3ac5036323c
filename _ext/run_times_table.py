"""Sphinx extension: the ``{run-times-table}`` directive, the table of every notebook's measured run time.

The Run times page (``chapters/run_times.md``) shows it. The table is drawn when the book is built, from the
timing file the helper package ships (``src/cnn_course/resources/run_times.json``), by the same
:func:`cnn_course.run_times.table_markdown` that the tests check the prose against; so the page always states
the file's figures and cannot go stale. Rows follow ``_toc.yml``: every notebook of the book, in reading order.
"""

import importlib.util
import sys
from pathlib import Path

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

RUN_TIMES_MODULE = Path(__file__).resolve().parents[1] / "src" / "cnn_course" / "run_times.py"


def load_run_times_module():
    """cnn_course.run_times alone, from its file: importing the package would import TensorFlow into the build."""
    name = "cnn_course_run_times"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, RUN_TIMES_MODULE)
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def toc_notebooks(srcdir: Path) -> list[Path]:
    """The notebooks of ``_toc.yml``, in reading order."""

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            for key in ("sections", "chapters", "parts"):
                yield from walk(entry.get(key, []))

    toc = yaml.safe_load((srcdir / "_toc.yml").read_text())
    files = [toc["root"], *walk(toc.get("parts", [])), *walk(toc.get("chapters", []))]
    return [srcdir / f"{file}.ipynb" for file in files if (srcdir / f"{file}.ipynb").exists()]


def doc_name(notebook: Path, here: Path, srcdir: Path) -> str:
    """How a page in ``here`` names ``notebook`` in a ``{doc}`` role: relative beside it, else from the root."""
    if notebook.parent == here:
        return notebook.relative_to(here).with_suffix("").as_posix()
    return "/" + notebook.relative_to(srcdir).with_suffix("").as_posix()


class RunTimesTable(SphinxDirective):
    """Every notebook's run time in full mode, quick mode and on Colab, with the machines they were measured on."""

    has_content = False

    def run(self):
        run_times = load_run_times_module()
        srcdir = Path(self.env.srcdir)
        here = Path(self.env.doc2path(self.env.docname)).parent
        self.env.note_dependency(str(run_times.packaged_file()))
        self.env.note_dependency(str(srcdir / "_toc.yml"))
        chapters = [doc_name(notebook, here, srcdir) for notebook in toc_notebooks(srcdir)]
        text = run_times.table_markdown(chapters, run_times.load())
        container = nodes.container(classes=["run-times-table"])
        self.state.nested_parse(StringList(text.splitlines(), source=self.env.docname), self.content_offset, container)
        return [container]


def setup(app):
    app.add_directive("run-times-table", RunTimesTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
