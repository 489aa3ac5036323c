"""The course folder's ``nbgrader_config.py``: how nbgrader releases and grades the chapters."""

# Seconds one cell may run while autograding. nbgrader's default is 30; in quick mode chapter 7's training
# cells take a few minutes on 2 CPU cores, so half an hour leaves room for a slow or busy grading machine.
CELL_TIMEOUT = 1800
# Seconds for a cell that shows a widget (chapter 4's calculator): it draws once and returns at once, but
# nbclient, which nbgrader runs notebooks with, now and then misses its reply and waits for the full timeout
# (jupyter/nbclient#312, measured here on chapter 4); a short timeout lets grading go on.
WIDGET_CELL_TIMEOUT = 60

CONFIG = f'''"""nbgrader settings of the course "Convolutional Neural Networks" (written by make nbgrader).

Run nbgrader from this folder. Kernels inherit the environment set here: the chapters grade in quick mode
(small subsets, few epochs; set CNN_COURSE_MODE=full before running nbgrader to grade as learners ran them),
with the graded feedback of cnn_course.checks and no progress bars in the outputs.
"""

import os

c = get_config()  # noqa: F821 - nbgrader provides it

c.CourseDirectory.course_id = "cnn-course"

os.environ.setdefault("CNN_COURSE_MODE", "quick")
os.environ.setdefault("CNN_COURSE_GRADED", "1")
os.environ.setdefault("CNN_COURSE_PROGRESS", "off")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# The release shows `answer = ...` where the source holds the worked answer, as the chapters do.
c.ClearSolutions.code_stub = {{"python": "answer = ..."}}

# A cell may run this many seconds (nbgrader's default of 30 is too short for the training chapters); a cell
# that shows a widget gets {WIDGET_CELL_TIMEOUT} s, since nbclient sometimes misses its reply (jupyter/nbclient#312).
c.Execute.timeout = {CELL_TIMEOUT}
c.Execute.interrupt_on_timeout = True


def cell_timeout(cell):
    return {WIDGET_CELL_TIMEOUT} if "widgets.interact" in cell.source else {CELL_TIMEOUT}


c.Execute.timeout_func = cell_timeout

# The release keeps the chapters' stored outputs (figures, tables): students read them before running anything.
# nbgrader's list of preprocessors, without ClearOutput.
from nbgrader.preprocessors import (  # noqa: E402
    CheckCellMetadata, ClearHiddenTests, ClearMarkScheme, ClearSolutions, ComputeChecksums, IncludeHeaderFooter,
    InstantiateTests, LockCells, SaveCells,
)

c.GenerateAssignment.preprocessors = [
    IncludeHeaderFooter, InstantiateTests, LockCells, ClearSolutions, CheckCellMetadata, ComputeChecksums,
    SaveCells, ClearHiddenTests, ClearMarkScheme, ComputeChecksums, CheckCellMetadata,
]

# The feedback students get (generate_feedback) is the graded notebook without what they must not see: the hidden
# tests, removed by nbgrader's own ClearHiddenTests as for the release (nbgrader shows them by default), and the
# tracebacks of the test cells, which quote the failing line, hidden or not; an error there shows as its last line
# ("AssertionError: Q1: not correct").
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor  # noqa: E402


class GradedCellErrorsLastLineOnly(NbGraderPreprocessor):
    """In each autograded test cell, an error's traceback cut to its last line (the exception and its message)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {{}}).get("grade"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{{output.get('ename', 'Error')}}: {{output.get('evalue', '')}}"]
        return cell, resources


c.GenerateFeedback.preprocessors = [
    GetGrades, CSSHTMLHeaderPreprocessor, ClearHiddenTests, GradedCellErrorsLastLineOnly,
]
'''
