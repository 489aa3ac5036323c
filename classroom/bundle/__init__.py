"""The offline classroom bundle: one folder (and a zip of it) an instructor copies to a USB stick.

It holds the built site, the datasets laid out as Keras's cache, the notebooks learners run, and a
wheelhouse of the learner install (requirements-learner.txt: the helper package, TensorFlow and Keras at
the book's versions, JupyterLab) made by pip's own ``pip download`` for the platforms and Python versions
asked for, with a README that says how to install with no index, serve the site and seed the Keras cache.
``python -m classroom.bundle`` (``make bundle``) builds it; :func:`classroom.bundle.build.build` is the same
from Python.
"""
