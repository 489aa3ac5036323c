"""Coding homework, one per chapter, each graded by its tests (pytest), and the tools to hand it out and grade it.

Each chapter's folder (``01_visual_cortex/`` ... ``08_what_convnets_learn/``) holds the statement (README.md), the
starter file a student edits and hands in, and its grading tests; ``conftest.py`` lets the tests grade any file
(``--submission``). The reference solutions live in ``solutions/``, for instructors: ``handout`` copies everything
else for students, ``grading`` grades a class's submissions side by side into a CSV file, with the
reason of every failed test, and a feedback file per student.
"""
