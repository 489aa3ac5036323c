"""The nbgrader export: a course folder that nbgrader grades, built from the chapters (``make nbgrader``).

``source`` turns a chapter into nbgrader's source notebook (the learners' cells as solution cells, one
autograded test cell per exercise, every other cell read-only), ``config`` writes ``nbgrader_config.py``
(quick mode, a cell timeout for the training chapters, the ``answer = ...`` stub), ``answer_key`` writes the
instructor's key of each chapter, and ``course`` lays the folder out: ``source/<chapter>/<chapter>.ipynb``,
``answer_keys/`` and ``nbgrader_config.py``. The student release and the site include none of it.
"""
