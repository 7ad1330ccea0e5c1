"""Figure numbering without unpickling every page at every build.

Sphinx numbers figures and tables across the whole book at every build, incremental or not
(``TocTreeCollector.assign_figure_numbers``): it unpickles every page's doctree and walks all
its nodes, which was a sixth of a build that re-reads one chapter (the chapters' doctrees hold
their tables and figure outputs). The numbering reads only sections, toctrees and numbered
nodes (figures, tables, captioned code blocks) with their ids and captions.

This keeps, for each page, an *outline*: its doctree pruned to those nodes, in document order,
and hands the outline to Sphinx's own numbering instead of the doctree. An outline is made from
the page's doctree the first time the numbering needs it and thrown away when Sphinx re-reads
the page (``env-purge-doc``), so it is never older than the doctree; it is kept with Sphinx's
environment between builds. A numbered node whose kind the pruned copy would not show (a code
block's literal block, say) is kept whole.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.environment.collectors.toctree import TocTreeCollector
from sphinx.util.nodes import clean_astext

ENV_ATTR = "fignumber_outlines"


def figtype(env, node) -> str | None:
    """The numbered kind of ``node``, as Sphinx's figure numbering decides it."""
    for domain in env.domains.values():
        kind = domain.get_enumerable_node_type(node)
        if domain.name == "std" and not domain.get_numfig_title(node):
            continue
        if kind:
            return kind
    return None


def _prune(env, node) -> nodes.Node | None:
    if isinstance(node, addnodes.toctree):
        return node.copy()
    if not isinstance(node, nodes.Element):
        return None
    kind = figtype(env, node) if node.get("ids") else None
    children = []
    for child in node.children:
        if kind and isinstance(child, (nodes.caption, nodes.title)):
            # only whether it has a text counts (an uncaptioned figure is not numbered)
            children.append(type(child)("", clean_astext(child)))
        else:
            pruned = _prune(env, child)
            if pruned is not None:
                children.append(pruned)
    if not (kind or children or isinstance(node, nodes.section)):
        return None
    try:
        copy = node.copy()
    except Exception:   # a node class whose constructor takes other arguments: kept whole
        return node.deepcopy()
    copy.extend(children)
    if kind and figtype(env, copy) != kind:
        return node.deepcopy()
    return copy


def outline(env, doctree: nodes.Node) -> nodes.Element:
    """``doctree`` pruned to what figure numbering reads."""
    root = nodes.Element()
    for child in doctree.children:
        pruned = _prune(env, child)
        if pruned is not None:
            root.append(pruned)
    for node in root.findall():   # copies point at the page's document, which would be kept with them
        node.document = None
    return root


_assign = TocTreeCollector.assign_figure_numbers


def assign_figure_numbers(self, env) -> list[str]:
    outlines = env.__dict__.setdefault(ENV_ATTR, {})
    read_doctree = env.get_doctree

    def get_doctree(docname: str):
        if docname not in outlines:
            outlines[docname] = outline(env, read_doctree(docname))
        return outlines[docname]

    env.get_doctree = get_doctree
    try:
        return _assign(self, env)
    finally:
        del env.get_doctree


def _purge(app, env, docname: str) -> None:
    env.__dict__.get(ENV_ATTR, {}).pop(docname, None)


def setup(app):
    TocTreeCollector.assign_figure_numbers = assign_figure_numbers
    app.connect("env-purge-doc", _purge)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
