"""The chapters' MyST markup as the plain Markdown that nbconvert's slides exporter renders.

The book is written for Jupyter Book: citations (``{footcite:p}`key```), glossary terms, links to other pages
(``{doc}```), admonitions (```` ```{note} ````) and a ``{footbibliography}`` at the end. nbconvert knows none of
these and would show them as raw text on a slide. ``MystToMarkdown`` rewrites them in the markdown cells of the
notebook it exports (the chapter file itself is never changed): citations in author-year form from
``references.bib`` (formatted by pybtex, which sphinxcontrib-bibtex also uses), terms as their text, page links
as links to that chapter's deck, admonitions as block quotes, and the bibliography as the list of the works the
chapter cites, sorted by author.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from pybtex.database import BibliographyData, parse_file
from pybtex.plugin import find_plugin
from pybtex.richtext import Text
from traitlets import Dict, Unicode

from classroom.slides import layout

ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<content>[^`]*)`")
EXPLICIT_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
DIRECTIVE_START = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}\s*(?P<argument>.*)$")
OPTION = re.compile(r"^:[\w-]+:")
TARGET_LABEL = re.compile(r"^\([\w:-]+\)=\s*$")
ADMONITION_TITLES = {"note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important", "warning": "Warning",
                     "caution": "Caution", "attention": "Attention", "danger": "Danger", "error": "Error",
                     "seealso": "See also"}


@functools.cache
def backend(name: str):
    """A pybtex output backend ("text", "markdown"), looked up once: each lookup scans the installed entry points."""
    return find_plugin("pybtex.backends", name)()


@functools.lru_cache(maxsize=4)
def parsed_bibtex(path: str) -> BibliographyData:
    """The parsed BibTeX file, read once per process: every deck of a build cites from it."""
    return parse_file(path)


def surnames(entry) -> str:
    """"Hubel", "Hubel and Wiesel" or "Krizhevsky et al.", as an author-year citation names the authors."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [Text.from_latex(" ".join(person.last_names)).render(backend("text")) for person in people]
    if not names:
        return entry.fields.get("title", "Anonymous")
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


class Bibliography:
    """The course's references.bib, and the works one notebook cites, in the order it first cites them."""

    def __init__(self, data: BibliographyData):
        self.data = data
        self.cited: list[str] = []

    @classmethod
    def read(cls, path: str | Path) -> Bibliography:
        return cls(parsed_bibtex(str(Path(path).resolve())))

    def entry(self, key: str):
        if key not in self.data.entries:
            raise KeyError(f"{key} is cited but not in references.bib")
        if key not in self.cited:
            self.cited.append(key)
        return self.data.entries[key]

    def cite(self, keys: str, textual: bool) -> str:
        """``{footcite:t}`` gives "Hubel and Wiesel (1959)", ``{footcite:p}`` "(Hubel and Wiesel, 1959)"."""
        entries = [self.entry(key.strip()) for key in keys.split(",") if key.strip()]
        if textual:
            return "; ".join(f"{surnames(entry)} ({entry.fields.get('year', 'n.d.')})" for entry in entries)
        return "(" + "; ".join(f"{surnames(entry)}, {entry.fields.get('year', 'n.d.')}" for entry in entries) + ")"

    def listing(self) -> str:
        """The cited works as a Markdown list, formatted and sorted by author by pybtex's plain style."""
        style = find_plugin("pybtex.style.formatting", "plain")()
        formatted = style.format_entries([self.data.entries[key] for key in self.cited])
        return "\n".join(f"- {' '.join(entry.text.render(backend('markdown')).split())}" for entry in formatted)


def replace_roles(text: str, bibliography: Bibliography, deck_titles: Mapping[str, str]) -> str:
    def role(match: re.Match) -> str:
        name, content = match.group("role"), match.group("content")
        explicit = EXPLICIT_TARGET.match(content)
        shown, target = (explicit.group("text"), explicit.group("target")) if explicit else (content, content)
        if name in ("footcite:t", "cite:t"):
            return bibliography.cite(content, textual=True)
        if name in ("footcite", "footcite:p", "cite", "cite:p"):
            return bibliography.cite(content, textual=False)
        if name == "doc":
            stem = Path(target).name
            title = shown if explicit else deck_titles.get(stem, stem)
            return f"[{title}]({stem}.slides.html)" if stem in deck_titles else title
        if name in ("math", "eq"):
            return f"${content}$" if name == "math" else shown
        return shown  # term, ref, abbr and the like: the words themselves

    return ROLE.sub(role, text)


def replace_directives(text: str, bibliography: Bibliography) -> str:
    """Admonitions as block quotes, ``{footbibliography}`` as the list of cited works, other directives unwrapped."""
    lines, output, index = text.split("\n"), [], 0
    while index < len(lines):
        start = DIRECTIVE_START.match(lines[index])
        if not start:
            if not TARGET_LABEL.match(lines[index]):
                output.append(lines[index])
            index += 1
            continue
        fence, name, argument = start.group("fence"), start.group("name"), start.group("argument").strip()
        body, index = [], index + 1
        while index < len(lines) and lines[index].strip() != fence:
            body.append(lines[index])
            index += 1
        index += 1  # the closing fence
        while body and OPTION.match(body[0]):
            body.pop(0)
        content = replace_directives("\n".join(body).strip("\n"), bibliography)
        if name == "footbibliography":
            output.append("__BIBLIOGRAPHY__")
        elif name == "admonition" or name in ADMONITION_TITLES:
            title = argument if name == "admonition" else ADMONITION_TITLES[name]
            label = title if title[-1:] in ".?!:" else f"{title}."
            quoted = [f"> **{label}**", ">"] + [f"> {line}".rstrip() for line in content.split("\n")]
            output.extend(quoted)
        else:
            output.append(content)
    return "\n".join(output)


def myst_to_markdown(text: str, bibliography: Bibliography, deck_titles: Mapping[str, str]) -> str:
    """One markdown cell's MyST source as plain Markdown (the bibliography lists what was cited so far)."""
    converted = replace_directives(replace_roles(text, bibliography, deck_titles), bibliography)
    if "__BIBLIOGRAPHY__" in converted:
        # in a box of its own, which the deck's style sheet lets scroll (classroom.slides.layout)
        converted = converted.replace("__BIBLIOGRAPHY__", f'<div class="{layout.BIBLIOGRAPHY_CLASS}">\n\n'
                                      f"{bibliography.listing()}\n\n</div>")
    return converted


class MystToMarkdown(Preprocessor):
    """nbconvert preprocessor: every markdown cell's MyST markup rewritten for a slide."""

    bibliography_path = Unicode("references.bib", help="the BibTeX file the chapters cite from").tag(config=True)
    deck_titles = Dict(help="title of each chapter's deck, by notebook name, for {doc} links").tag(config=True)

    def preprocess(self, nb, resources):
        bibliography = Bibliography.read(self.bibliography_path)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = myst_to_markdown(cell.source, bibliography, self.deck_titles)
        return nb, resources
