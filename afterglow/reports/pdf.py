"""The clinician report as a PDF: WeasyPrint from the report's Django template, nothing fetched from anywhere."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import date_format

from afterglow.lib.errors import UserError
from afterglow.reports.clinician import Report

STATIC = (Path(__file__).resolve().parent.parent / "static").resolve()
STYLESHEET = STATIC / "reports" / "report.css"
log = logging.getLogger("afterglow.reports")
_warming = threading.Lock()
_warmed = False


def footer(report: Report) -> str:
    return f"Prepared by the patient on {date_format(report.prepared, 'j F Y')} with Afterglow. Not a diagnosis."


class RefusedFetch(ValueError):
    pass


def url_fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        """Data URIs and our own static files only: a report never reaches the network, nor other files."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data",), allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                path = Path(url.removeprefix("file://").split("?")[0].split("#")[0]).resolve()
                if path.is_relative_to(STATIC) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes(), {}, 200)
            self.refused.append(url[:200])
            raise RefusedFetch("the report fetches nothing but its own files")

    return LocalOnly


def _weasyprint() -> tuple[Any, Any]:
    try:
        from weasyprint import CSS, HTML
    except OSError:  # WeasyPrint loads Pango from the system when imported
        raise UserError(
            "Making the PDF needs the Pango text library, which this computer lacks "
            "(Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
        ) from None
    from PIL import ImageFile

    # Importing WeasyPrint tells Pillow, for the whole process, to accept cut-off images. Our reports
    # hold only our own charts; a photo cut off on its way in must still be refused as damaged.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return CSS, HTML


def html(report: Report) -> str:
    return render_to_string("reports/report_pdf.html", {"report": report, "footer": footer(report)})


def render(report: Report, fetcher: Any = None) -> bytes:
    """The PDF's bytes (`fetcher`: a `url_fetcher_class()` instance, to read what it refused)."""
    CSS, HTML = _weasyprint()

    fetcher = fetcher or url_fetcher_class()()
    page = CSS(string=_page_css(report), url_fetcher=fetcher)
    sheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = HTML(string=html(report), base_url=STATIC.as_uri() + "/", url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[sheet, page]))


def _page_css(report: Report) -> str:
    text = footer(report).replace("\\", "").replace('"', "")
    box = 'font-size: 8pt; color: #000; font-family: "DejaVu Sans", sans-serif;'
    return (
        "@page { size: A4; margin: 16mm 15mm 20mm 15mm;"
        f' @bottom-left {{ content: "{text}"; {box} }}'
        f' @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {box} }} }}'
    )


def warm_in_background() -> None:
    """Load WeasyPrint, Pango's fonts and matplotlib on a thread, once per process.

    The report page calls this when it opens: while the person chooses what goes in, the first
    PDF's one-time costs (importing both, Pango and fontconfig finding the fonts, matplotlib's
    font cache: seconds on a busy machine) are paid, and making the PDF costs only its own work.
    """
    global _warmed
    with _warming:
        if _warmed:
            return
        _warmed = True
    threading.Thread(target=warm, name="afterglow-report-warm", daemon=True).start()


def warm() -> None:
    """One tiny PDF and one empty chart; anything that goes wrong here is left for the real report to say."""
    try:
        CSS, HTML = _weasyprint()
        fetcher = url_fetcher_class()()
        sheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
        tiny = HTML(string='<div class="report-pdf"><h1>Afterglow</h1><p>x</p></div>', url_fetcher=fetcher)
        tiny.write_pdf(stylesheets=[sheet])
        from afterglow.insights import charts

        charts.mood_svg([], [])
    except Exception:  # the report itself will meet the same problem and say it in words
        log.debug("warming the report machinery failed", exc_info=True)
