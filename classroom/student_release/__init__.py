"""The student release: every chapter notebook without its solutions, for an instructor to hand out.

``exercise_cells`` finds the exercises of a chapter by the convention of the README (a learner's cell with
``answer = ...`` and ``qN.check(answer)``, then a hidden cell that runs ``qN.solution()``); ``release``
removes the solution cells with their outputs, turns the graded setting of ``cnn_course.checks`` on, and
writes the notebooks (``make student``). The nbgrader export builds on both.
"""
