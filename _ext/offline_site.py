"""Sphinx extension: the site loads nothing from another host, so it works offline, from a USB stick.

MathJax comes from ``sphinx-mathjax-offline`` and the theme serves its own fonts; two things would still
reach out, and this extension removes them when the book is built:

- matplotlib's ``Animation.to_jshtml()`` (the chapter animations) starts with a stylesheet link to
  Font Awesome 4 on a CDN, for the icons of its buttons. The theme already serves Font Awesome from the site,
  and draws the same ``fa fa-play``-style icons, so the link is dropped from notebook outputs.
- sphinx-thebe (loaded by Jupyter Book) declares Thebe's CDN address on every page, twice (a console error),
  for live code on a remote Binder server. The site runs no code (the launch button opens Colab), so its
  scripts, stylesheet and page settings are left out.

Any other script or stylesheet from another host is reported as a warning, which fails `jupyter-book build -W`.
"""

import re

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

CDN_FONT_AWESOME = re.compile(r"<link[^>]*\bhref=\"(?:https?:)?//[^\"]*font-awesome[^\"]*\"[^>]*>\s*", re.IGNORECASE)
THEBE = re.compile(r"thebe", re.IGNORECASE)
REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)


def drop_cdn_font_awesome(html: str) -> str:
    """Return ``html`` without links to a Font Awesome stylesheet on another host."""
    return CDN_FONT_AWESOME.sub("", html)


def clean_notebook_outputs(app, doctree):
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split():
            cleaned = drop_cdn_font_awesome(raw.astext())
            if cleaned != raw.astext():
                raw.replace_self(nodes.raw(raw.rawsource, cleaned, **raw.attributes))


def drop_thebe_page_settings(app, doctree, docname):
    """sphinx-thebe appends its Binder settings (``text/x-thebe-config``, ``kernelName``) to every page."""
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if "text/x-thebe-config" in text or text.strip().startswith("<script>kernelName ="):
            raw.parent.remove(raw)


def asset_address(asset):
    return getattr(asset, "filename", asset) or ""


def keep_page_assets_local(app, pagename, templatename, context, doctree):
    for kind in ("script_files", "css_files"):
        kept = []
        for asset in context.get(kind, []):
            address = asset_address(asset)
            body = getattr(asset, "attributes", {}).get("body", "")
            if THEBE.search(address) or "THEBE_JS_URL" in body:
                continue
            if REMOTE.match(address):
                logger.warning(f"{pagename} loads {address} from another host; the site must work offline")
            kept.append(asset)
        context[kind] = kept


def setup(app):
    app.connect("doctree-read", clean_notebook_outputs)
    # after sphinx-thebe has added its settings (default priority 500)
    app.connect("doctree-resolved", drop_thebe_page_settings, priority=900)
    app.connect("html-page-context", keep_page_assets_local, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
