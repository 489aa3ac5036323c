"""Sphinx extension: a ``{footcite}`` citation counts as cited for ``{bibliography}`` with ``:cited:``.

The chapters cite with ``{footcite}`` and end with ``{footbibliography}``; the bibliography page gathers what
they cite with ``:cited:``. sphinxcontrib-bibtex only counts ``{cite}`` there, so without this extension that
page would be empty (or, with ``:all:``, list every entry of ``references.bib``, cited or not).
Each footcite role also records its keys as a citation reference of the ``cite`` domain, which is what
``:cited:`` reads; the footnotes themselves are unchanged.
"""

from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.foot_domain import BibtexFootDomain
from sphinxcontrib.bibtex.foot_roles import FootCiteRole
from sphinxcontrib.bibtex.roles import CitationRef


class CountedFootCiteRole(FootCiteRole):
    """The ``footcite`` role, whose keys are also noted as cited in the ``cite`` domain."""

    def run(self):
        nodes, messages = super().run()
        domain = self.env.get_domain("cite")
        domain.citation_refs.append(
            CitationRef(
                # backrefs only link citations of a {bibliography} in the same document; the chapters have none
                citation_ref_id=f"footcite-ref-{len(domain.citation_refs)}",
                docname=self.env.docname,
                line=self.lineno,
                targets=list(parse_citation_targets(self.text)),
            )
        )
        return nodes, messages


def setup(app):
    app.setup_extension("sphinxcontrib.bibtex")
    app.add_role("footcite", CountedFootCiteRole(), override=True)
    for name in BibtexFootDomain._role_names:
        app.add_role_to_domain("footcite", name, CountedFootCiteRole(), override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
