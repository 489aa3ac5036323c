"""The chapters' exercises, one module per chapter, each exposing ``q1``, ``q2``, ... and ``EXERCISES``.

A notebook imports its own: ``from cnn_course.exercises.visual_cortex import q1, q2, q3``.
"""
