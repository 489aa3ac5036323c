"""Slides of the course: one reveal.js deck per chapter, built by nbconvert's slides exporter and served offline.

``metadata`` sets where each chapter's slides begin (cell metadata the chapters carry), ``layout`` holds the
slide's geometry and type (a 1280x720 slide, the boxes that scroll), ``notes`` cuts a section's prose between the
slide and the speaker notes, ``myst`` turns the chapters' MyST markup into the Markdown nbconvert renders,
``assets`` fetches the pinned JavaScript packages the decks load, and ``build`` writes the decks (``make slides``).
"""
