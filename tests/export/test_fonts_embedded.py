"""Every document embeds every font it uses: none names a font the reader must supply."""

from __future__ import annotations

from datetime import UTC, date, datetime

from reportlab.platypus import Paragraph, Table

from sanctuary_desktop.export.pdf import DocumentHead, PaperSize, render, styles
from sanctuary_desktop.services import calls, cohorts, demo, handouts, notes_report
from sanctuary_desktop.store.database import Database
from tests.export.pdf_checks import fonts

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def every_document(db: Database) -> dict[str, bytes]:
    """Session notes of every call (one cancelled, held and coming ones) and every
    handout, on both paper sizes."""
    cohort = demo.create_sample(db, today=TODAY)
    plan = cohorts.get_plan(db, cohort.id)
    calls.set_cancelled(db, plan.calls[-1].id, True)
    documents: dict[str, bytes] = {}
    for paper in PaperSize:
        for call in plan.calls:
            documents[f"notes {call.id} {paper}"] = notes_report.session_notes_pdf(
                db, call.id, paper=paper, facilitator_zone="Europe/Paris", now=NOW
            )
        for kind in handouts.Handout:
            documents[f"{kind} {paper}"] = handouts.handout_pdf(
                db, cohort.id, kind, paper=paper, facilitator_zone="Europe/Paris", now=NOW
            )
    return documents


def test_every_document_embeds_every_font(db: Database) -> None:
    documents = every_document(db)
    assert len(documents) == 2 * (7 + len(handouts.Handout))
    for name, data in documents.items():
        used = fonts(data)
        assert used, name
        missing = [font for font, embedded in used.items() if not embedded]
        assert not missing, f"{name}: {missing} not embedded"
        assert all("DejaVuSans" in font for font in used), f"{name}: {sorted(used)}"


def test_a_table_without_a_font_of_its_own_still_embeds_it() -> None:
    """reportlab's own Table defaults its cells to Helvetica: the canvas draws them in
    the bundled font, so a table made without the app's helpers cannot bring it back."""
    plain = Table([["plain text cell", Paragraph("a paragraph", styles().cell)]])
    data = render(DocumentHead("Test", "Cohort"), [plain])
    used = fonts(data)
    assert used and all(used.values()), used
    assert not any("Helvetica" in font for font in used)
