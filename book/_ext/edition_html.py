"""The HTML edition's conventions that the theme does not give by configuration.

- No "print to PDF" button (the theme's ".pdf"), which readers take for the PDF edition.
- A header button that downloads the PDF edition, shown only when the PDF is part of
  the build (the build copies it into ``_static`` first); the front page's link to it
  is dropped when it is not.
- Scripts added twice by the extensions (sphinx-thebe declares ``const THEBE_JS_URL``
  twice, a console error) are kept once.
- Link addresses with '&' (the World Bank's): MyST keeps them as '&amp;', which the
  writer escapes again, so the link is broken. The '&' is restored in the doctree.
- The bibliography's list: docutils marks the list ``role="list"`` and its entries
  ``role="doc-biblioentry"``, which ARIA does not allow as list items (axe-core:
  aria-required-children, critical). The entries become ``role="listitem"``.
"""

from __future__ import annotations

from pathlib import Path

PDF_NAME = "inclusion-of-migrants-evidence-book.pdf"
PDF_MARK = "pdf-edition-link"


def _pdf_exists(app) -> bool:
    return (Path(app.srcdir) / "_static" / PDF_NAME).exists()


def drop_missing_pdf_link(app, docname, source):
    """Without a PDF in this build, the front page says how to make one instead of linking it."""
    if docname != app.config.root_doc or _pdf_exists(app):
        return
    lines = source[0].splitlines()
    source[0] = "\n".join(
        "<p>The PDF edition is not part of this build (make it with <code>make pdf</code>).</p>"
        if PDF_MARK in line else line for line in lines)


def page_context(app, pagename, templatename, context, doctree):
    scripts, seen = [], set()
    for script in context.get("script_files", []):
        # Registered once with filename None, once with '': the same inline script.
        key = (getattr(script, "filename", str(script)) or "",
               getattr(script, "attributes", {}).get("body", ""))
        if key in seen:
            continue
        seen.add(key)
        scripts.append(script)
    if "script_files" in context:
        context["script_files"][:] = scripts
    if _pdf_exists(app) and isinstance(context.get("header_buttons"), list):
        context["header_buttons"].insert(0, {
            "type": "link",
            "url": context["pathto"](f"_static/{PDF_NAME}", 1),
            "tooltip": "Download the PDF edition",
            "icon": "fas fa-file-pdf",
            "text": "PDF",
            "label": "download-pdf-edition",
        })
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def fix_escaped_ampersands(app, doctree):
    """MyST stores a link address with '&' as '&amp;' (then escaped again on output): undo it."""
    from docutils import nodes

    for ref in doctree.findall(nodes.reference):
        if "&amp;" in ref.get("refuri", ""):
            ref["refuri"] = ref["refuri"].replace("&amp;", "&")


def no_print_button(app, config):
    """The theme's download menu offers ".pdf", which only prints the page; Jupyter Book does
    not pass ``use_download_button`` on to the theme, so it is switched off here."""
    config.html_theme_options["use_download_button"] = False


def setup(app):
    app.connect("config-inited", no_print_button)
    app.connect("source-read", drop_missing_pdf_link)
    app.connect("doctree-read", fix_escaped_ampersands)
    # After sphinx-book-theme has built its header buttons (priority 501).
    app.connect("html-page-context", page_context, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
