"""The Search page: one box over notes, people and cohorts, matched words in bold.

Searching starts a moment after typing stops. Results are one list in three sections:
people and cohorts (a few at most), then notes, which can be thousands and so come a page
at a time as the list is scrolled to its end. A delegate paints each row from rich text
built from the service's marks. Activating a note opens its call; a person or a cohort
opens the cohort.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPainter, QPalette, QShowEvent, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from sanctuary_desktop.domain.zones import zone
from sanctuary_desktop.services import search
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.services.search import CohortHit, Marks, NoteHit, PersonHit, SearchResults
from sanctuary_desktop.services.views import Topic
from sanctuary_desktop.ui.calendar_page import day_label
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.tables import Index
from sanctuary_desktop.ui.theme import Colors, Pair, is_dark

DEBOUNCE_MS = 200
PAGE = 50  # notes asked for at a time, first and as the list is scrolled
PLACEHOLDER = "Search notes, quotes, actions, people and cohorts"
TOPICS = frozenset({Topic.NOTES, Topic.PARTICIPANTS, Topic.COHORTS})
KIND_LABELS = {
    NoteKind.NOTE: "Note",
    NoteKind.INSIGHT: "Insight",
    NoteKind.QUOTE: "Quote",
    NoteKind.ACTION: "Action",
}
KIND_COLORS: dict[NoteKind, Pair] = {
    NoteKind.NOTE: Colors.NOTE_NOTE,
    NoteKind.INSIGHT: Colors.NOTE_INSIGHT,
    NoteKind.QUOTE: Colors.NOTE_QUOTE,
    NoteKind.ACTION: Colors.NOTE_ACTION,
}
HTML_ROLE = Qt.ItemDataRole.UserRole + 20
HIT_ROLE = Qt.ItemDataRole.UserRole + 21
PAD_X, PAD_Y = 14, 10
LINE = '<p style="margin:0 0 3px 0;">{}</p>'
# Roles, asked for at each paint so they follow the scheme.
ACCENT_COLOR = Colors.ACCENT
SELECTED_COLOR = Colors.SEARCH_HIT
HOVER_COLOR = Colors.HOVER
DIVIDER_COLOR = Colors.DIVIDER


def highlighted(text: str, marks: Marks) -> str:
    """The text as rich text, the marked ranges in bold, everything else escaped."""
    parts: list[str] = []
    at = 0
    for start, end in marks:
        if start < at or end > len(text):
            continue
        parts.append(html.escape(text[at:start]))
        parts.append(f"<b>{html.escape(text[start:end])}</b>")
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


@dataclass(frozen=True)
class Heading:
    title: str
    count: str


Row = Heading | NoteHit | PersonHit | CohortHit


class ResultsModel(QAbstractListModel):
    """Section headings and hits in one list; rich text made once per row, not per paint.

    Notes come last: when more match than were loaded, the view's fetchMore (called as it
    is scrolled to the end) asks for the next page through `wants_more`."""

    wants_more = Signal(int)  # how many notes are loaded: the next page starts there

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self._html: list[str] = []
        self._html_dark = False
        self._plain: list[str] = []
        self.zone_name = "UTC"
        self.notes_loaded = 0
        self.notes_total = 0
        self.fetching = False
        self._notes_heading: int | None = None

    def set_results(self, results: SearchResults, zone_name: str) -> None:
        self.beginResetModel()
        self.zone_name = zone_name
        self.notes_loaded = len(results.notes)
        self.notes_total = max(results.notes_total, self.notes_loaded)
        self.fetching = False
        rows: list[Row] = []
        if results.participants:
            rows.append(Heading("People", f"{len(results.participants):,}"))
            rows.extend(results.participants)
        if results.cohorts:
            rows.append(Heading("Cohorts", f"{len(results.cohorts):,}"))
            rows.extend(results.cohorts)
        self._notes_heading = None
        if results.notes:
            self._notes_heading = len(rows)
            rows.append(Heading("Notes", self._notes_count()))
            rows.extend(results.notes)
        self.rows = rows
        self._html_dark = is_dark()
        self._html = [self._rich(row) for row in rows]
        self._plain = [self._text(row) for row in rows]
        self.endResetModel()

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self.fetching and self.notes_loaded < self.notes_total

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self.fetching = True
            self.wants_more.emit(self.notes_loaded)

    def add_notes(self, notes: tuple[NoteHit, ...]) -> None:
        """The next page, at the end; an empty page means the rest went away meanwhile."""
        self.fetching = False
        if not notes or self._notes_heading is None:
            self.notes_total = self.notes_loaded
        else:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(notes) - 1)
            self.rows.extend(notes)
            self._html.extend(self._rich(note) for note in notes)
            self._plain.extend(self._text(note) for note in notes)
            self.notes_loaded += len(notes)
            self.endInsertRows()
        if self._notes_heading is not None:
            heading = Heading("Notes", self._notes_count())
            self.rows[self._notes_heading] = heading
            self._html[self._notes_heading] = self._rich(heading)
            self._plain[self._notes_heading] = self._text(heading)
            index = self.index(self._notes_heading, 0)
            self.dataChanged.emit(index, index)

    def _notes_count(self) -> str:
        if self.notes_total > self.notes_loaded:
            return f"{self.notes_loaded:,} of {self.notes_total:,} · more load as you scroll"
        return f"{self.notes_loaded:,}"

    def hit_at(self, row: int) -> NoteHit | PersonHit | CohortHit | None:
        item = self.rows[row]
        return None if isinstance(item, Heading) else item

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and isinstance(self.rows[index.row()], Heading):
            return Qt.ItemFlag.ItemIsEnabled
        return super().flags(index)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._plain[index.row()]
        if role == HTML_ROLE:
            if self._html_dark != is_dark():  # the scheme changed: colours change too
                self._html_dark = is_dark()
                self._html = [self._rich(row) for row in self.rows]
            return self._html[index.row()]
        if role == HIT_ROLE:
            return self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            item = self.rows[index.row()]
            if isinstance(item, NoteHit):
                return "Double-click or press Enter to open the call"
            if isinstance(item, PersonHit):
                return "Double-click or press Enter to open them on their cohort's roster"
            if not isinstance(item, Heading):
                return "Double-click or press Enter to open the cohort"
        return None

    # -- text -----------------------------------------------------------------------------

    def _date(self, hit: NoteHit) -> str:
        return day_label(hit.created_at.astimezone(zone(self.zone_name)).date())

    def _note_meta(self, hit: NoteHit) -> list[str]:
        meta = [hit.cohort_name, hit.call_label]
        if hit.stage:
            meta.append(hit.stage)
        meta.append(self._date(hit))
        if hit.owner_name:
            meta.append(f"owner {hit.owner_name}")
        return meta

    def _rich(self, row: Row) -> str:
        muted = f'<span style="color:{Colors.MUTED_TEXT.css()};">'
        if isinstance(row, Heading):
            return (
                f'<span style="font-size:11pt; font-weight:600;">{html.escape(row.title)}</span>'
                f"&nbsp;&nbsp;{muted}{html.escape(row.count)}</span>"
            )
        if isinstance(row, NoteHit):
            color = KIND_COLORS.get(row.kind, Colors.MUTED_TEXT).css()
            kind = (
                f'<span style="color:{color}; font-weight:600;">'
                f"{html.escape(KIND_LABELS.get(row.kind, row.kind.value))}</span>"
            )
            lines = [f"{kind}&nbsp;&nbsp;{highlighted(row.snippet, row.marks)}"]
            if row.matched_tags:
                themes = ", ".join(
                    f"<b>{html.escape(t)}</b>" if t in row.matched_tags else html.escape(t)
                    for t in row.tags
                )
                lines.append(f"{muted}Themes: </span>{themes}")
            meta = " · ".join(html.escape(part) for part in self._note_meta(row))
            lines.append(f"{muted}{meta}</span>")
            return "".join(LINE.format(line) for line in lines)
        if isinstance(row, PersonHit):
            first = highlighted(row.name, row.name_marks)
            details = [
                highlighted(text, marks)
                for text, marks in (
                    (row.organisation, row.organisation_marks),
                    (row.email, row.email_marks),
                )
                if text
            ]
            second = " · ".join(
                [*details, html.escape(row.cohort_name), html.escape(row.status.label)]
            )
            return LINE.format(first) + LINE.format(f"{muted}{second}</span>")
        first = highlighted(row.name, row.name_marks)
        if row.archived:
            first += f"&nbsp;&nbsp;{muted}archived</span>"
        details = [
            highlighted(text, marks)
            for text, marks in (
                (row.focus, row.focus_marks),
                (row.facilitators, row.facilitators_marks),
            )
            if text
        ]
        second = LINE.format(f"{muted}{' · '.join(details)}</span>") if details else ""
        return LINE.format(first) + second

    def _text(self, row: Row) -> str:
        if isinstance(row, Heading):
            return f"{row.title}, {row.count}"
        if isinstance(row, NoteHit):
            kind = KIND_LABELS.get(row.kind, row.kind.value)
            return f"{kind}: {row.snippet} — {', '.join(self._note_meta(row))}"
        if isinstance(row, PersonHit):
            parts = [row.name, row.organisation, row.email, row.cohort_name]
            return ", ".join(p for p in parts if p)
        return ", ".join(p for p in (row.name, row.focus) if p)


class ResultDelegate(QStyledItemDelegate):
    """Paints a row's rich text; one QTextDocument reused for every row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.document = QTextDocument()
        self.document.setDocumentMargin(0)

    def _layout(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        self.document.setDefaultFont(option.font)
        self.document.setHtml(index.data(HTML_ROLE) or "")
        width = option.rect.width() or 600
        self.document.setTextWidth(max(120, width - 2 * PAD_X))
        return self.document

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        document = self._layout(option, index)
        is_heading = isinstance(index.data(HIT_ROLE), Heading)
        extra = 16 if is_heading else 2 * PAD_Y
        # Width is the view's to give (rows wrap to it): asking for the measured width
        # would leave a horizontal scroll bar once the vertical one narrows the viewport.
        return QSize(0, int(document.size().height()) + extra)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        rect = option.rect
        state = option.state
        item = index.data(HIT_ROLE)
        painter.save()
        if isinstance(item, Heading):
            painter.fillRect(rect, option.palette.color(QPalette.ColorRole.Window))
        elif state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, SELECTED_COLOR.color())
            painter.fillRect(rect.x(), rect.y(), 3, rect.height(), ACCENT_COLOR.color())
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, HOVER_COLOR.color())
        document = self._layout(option, index)
        top = rect.y() + (12 if isinstance(item, Heading) else PAD_Y)
        painter.translate(rect.x() + PAD_X, top)
        document.drawContents(painter)
        painter.restore()
        if not isinstance(item, Heading):
            painter.save()
            painter.setPen(DIVIDER_COLOR.color())
            painter.drawLine(rect.x() + PAD_X, rect.bottom(), rect.right() - PAD_X, rect.bottom())
            painter.restore()


class ResultsView(QListView):
    """Enter opens the current result, as a double-click does; the arrow keys pass over
    the headings, which cannot be selected."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        target = super().moveCursor(cursorAction, modifiers)
        model = self.model()
        if not isinstance(model, ResultsModel) or not target.isValid():
            return target
        Action = QAbstractItemView.CursorAction
        upward = cursorAction in (
            Action.MoveUp,
            Action.MovePageUp,
            Action.MoveHome,
            Action.MovePrevious,
            Action.MoveLeft,
        )
        # On a heading: the nearest result the way the cursor was going, else the other way.
        for step in (-1, 1) if upward else (1, -1):
            row = target.row()
            while 0 <= row < model.rowCount():
                if model.hit_at(row) is not None:
                    return model.index(row, 0)
                row += step
        return target


class SearchPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.results = SearchResults(query="")
        self._ticket = 0
        self._searched = ""

        title = QLabel("Search")
        title.setProperty("role", "title")
        self.box = QLineEdit()
        self.box.setPlaceholderText(PLACEHOLDER)
        self.box.setClearButtonEnabled(True)
        self.box.setAccessibleName("Search")
        self.box.setMinimumHeight(34)
        font = self.box.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.box.setFont(font)
        self.status = QLabel()
        self.status.setProperty("role", "muted")
        self.status.setAccessibleName("Search summary")

        self.model = ResultsModel(self)
        self.model.wants_more.connect(self._load_more)
        self.view = ResultsView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(ResultDelegate(self.view))
        self.view.setAccessibleName("Search results")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMouseTracking(True)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        # activated alone: the platform's style makes a double-click (or a single click)
        # emit it, and doubleClicked as well would open the result twice.
        self.view.activated.connect(self._activated)

        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setProperty("role", "muted")
        self.message.setStyleSheet("font-size: 11pt;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.box)
        layout.addWidget(self.status)
        layout.addWidget(self.stack, 1)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.run_search)
        self.box.textChanged.connect(lambda _text: self.debounce.start())
        self.box.returnPressed.connect(self.run_search)
        self.box.installEventFilter(self)
        ctx.events.data_changed.connect(self._data_changed)
        self._show_message("Type a word to search every cohort's notes, people and cohorts.")

    # -- public -----------------------------------------------------------------------

    def focus_search(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def search_for(self, text: str) -> None:
        """Put text in the box and search at once."""
        self.box.setText(text)
        self.run_search()

    def run_search(self) -> None:
        self.debounce.stop()
        text = self.box.text()
        self._ticket += 1
        ticket = self._ticket
        if not text.strip():
            self._searched = ""
            self._apply(ticket, SearchResults(query=text))
            return
        self._searched = text
        self.status.setText("Searching…")
        self.ctx.services.call(
            search.search_all,
            text,
            limit=PAGE,
            then=lambda results: self._apply(ticket, results),
        )

    def _load_more(self, offset: int) -> None:
        ticket = self._ticket
        results = self.results
        self.ctx.services.call(
            search.more_notes,
            results.query,
            offset=offset,
            ranked=results.notes_ranked,
            limit=PAGE,
            then=lambda notes: self._more_arrived(ticket, notes),
        )

    def _more_arrived(self, ticket: int, notes: tuple[NoteHit, ...]) -> None:
        if Shiboken.isValid(self) and ticket == self._ticket:
            self.model.add_notes(notes)

    # -- reacting ---------------------------------------------------------------------

    def _apply(self, ticket: int, results: SearchResults) -> None:
        if not Shiboken.isValid(self) or ticket != self._ticket:
            return  # a newer search was asked for meanwhile
        self.results = results
        self.model.set_results(results, self.ctx.facilitator_zone)
        if not results.query.strip():
            self.status.setText("")
            self._show_message("Type a word to search every cohort's notes, people and cohorts.")
            return
        if results.is_empty:
            self.status.setText("")
            self._show_message(f"No matches for “{results.query.strip()}”.")
            return
        self.status.setText(
            " · ".join(
                [
                    plural(results.notes_total, "note", "notes"),
                    plural(len(results.participants), "person", "people"),
                    plural(len(results.cohorts), "cohort", "cohorts"),
                ]
            )
        )
        self.stack.setCurrentWidget(self.view)
        self.view.scrollToTop()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def _data_changed(self, topics: frozenset[Topic]) -> None:
        if self._searched and topics & TOPICS:
            self.run_search()

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if not index.isValid():
            return
        hit = self.model.hit_at(index.row())
        if isinstance(hit, NoteHit):
            self.ctx.events.open_call.emit(hit.cohort_id, hit.call_id)
        elif isinstance(hit, PersonHit):
            self.ctx.events.open_participant.emit(hit.cohort_id, hit.participant_id)
        elif hit is not None:
            self.ctx.events.open_cohort.emit(hit.cohort_id)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        # Down from the box goes to the first result, so the keyboard never has to leave.
        if (
            watched is self.box
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount() > 0
        ):
            first = next(
                (r for r in range(self.model.rowCount()) if self.model.hit_at(r) is not None), 0
            )
            self.view.setFocus()
            self.view.setCurrentIndex(self.model.index(first, 0))
            return True
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.box.setFocus()
