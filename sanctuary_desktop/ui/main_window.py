"""The main window: a sidebar of pages, menus, and window state that survives restarts.

Start-up shows it before SQLAlchemy and most of the UI have loaded (see app.run_gui): the
Cohorts page can show a first look at its list, `finish_building` adds the rest, and the
other pages are made when first opened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from sanctuary_desktop import APP_NAME
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.zones import city_of, zone
from sanctuary_desktop.services.cohort_list import CohortSummary
from sanctuary_desktop.ui.cohorts_page import CohortsPage
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.help import AboutDialog, GuideDialog, standard_keys

if TYPE_CHECKING:
    from sanctuary_desktop.services.live import RunSummary
    from sanctuary_desktop.ui.calendar_page import CalendarPage
    from sanctuary_desktop.ui.data_dialogs import ArchiveImportDialog
    from sanctuary_desktop.ui.live_window import LiveWindow
    from sanctuary_desktop.ui.protocols_page import ProtocolsPage
    from sanctuary_desktop.ui.search_page import SearchPage

log = logging.getLogger(__name__)

PAGES = ("Cohorts", "Calendar", "Protocols", "Search")
COHORTS, CALENDAR, PROTOCOLS, SEARCH = range(len(PAGES))


def saved_page(ctx: AppContext) -> int:
    """The page the window was left on; start-up takes a first look only at Cohorts."""
    page = str(ctx.settings.value(ctx.setting_key("window/page"), COHORTS))
    return int(page) if page.isdigit() and int(page) < len(PAGES) else COHORTS


def make_page(index: int, ctx: AppContext) -> QWidget:
    """A page other than Cohorts, made (and its module loaded) when first opened."""
    if index == CALENDAR:
        from sanctuary_desktop.ui.calendar_page import CalendarPage

        return CalendarPage(ctx)
    if index == PROTOCOLS:
        from sanctuary_desktop.ui.protocols_page import ProtocolsPage

        return ProtocolsPage(ctx)
    from sanctuary_desktop.ui.search_page import SearchPage

    return SearchPage(ctx)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, *, first_look: list[CohortSummary] | None = None) -> None:
        """With a first look, only the shell and the cohort list are made; call
        finish_building once the window has been painted. Without one, all of it now."""
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(1000, 640)
        self.resize(1280, 800)
        self.finished = False

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Pages")
        self.sidebar.setFixedWidth(170)
        self.sidebar.addItems(PAGES)
        self.stack = QStackedWidget()
        self.cohorts_page = CohortsPage(ctx, first_look=first_look)
        self.stack.addWidget(self.cohorts_page)
        self.pages: dict[int, QWidget] = {COHORTS: self.cohorts_page}
        self.sidebar.currentRowChanged.connect(self._row_changed)

        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)

        self.unsaved_protocol = False
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        ctx.services.busy_changed.connect(self._busy)
        # A refusal nobody asked to show (no failed= callback) is never silent.
        ctx.services.validation_failed.connect(self.show_refusal)
        self._busy(False)
        ctx.events.open_call.connect(lambda *_ids: self.show_page(COHORTS))
        ctx.events.open_cohort.connect(lambda _id: self.show_page(COHORTS))
        ctx.events.open_participant.connect(lambda *_ids: self.show_page(COHORTS))
        ctx.events.run_live.connect(self.open_live)
        self.live_windows: dict[int, LiveWindow] = {}
        self._build_menus()
        self.restore_state()
        if first_look is None:
            self.finish_building()

    def finish_building(self) -> None:
        """The cohort's tabs, the real lists, and the offer to resume a call left running."""
        if self.finished:
            return
        self.finished = True
        from sanctuary_desktop.services import live

        self.cohorts_page.build_detail()
        self.ctx.services.call(live.unfinished_runs, then=self.offer_to_resume)

    def page(self, index: int) -> QWidget:
        page = self.pages.get(index)
        if page is None:
            page = self.pages[index] = make_page(index, self.ctx)
            self.stack.addWidget(page)
            if index == PROTOCOLS:
                cast("ProtocolsPage", page).unsaved_changed.connect(self._protocol_unsaved)
        return page

    def _protocol_unsaved(self, unsaved: bool) -> None:
        self.unsaved_protocol = unsaved
        self._busy(not self.ctx.services.idle)

    def _protocols_with_edits(self) -> ProtocolsPage | None:
        page = self.pages.get(PROTOCOLS)
        protocols = cast("ProtocolsPage | None", page)
        return protocols if protocols is not None and protocols.has_unsaved() else None

    @property
    def calendar_page(self) -> CalendarPage:
        return cast("CalendarPage", self.page(CALENDAR))

    @property
    def protocols_page(self) -> ProtocolsPage:
        return cast("ProtocolsPage", self.page(PROTOCOLS))

    @property
    def search_page(self) -> SearchPage:
        return cast("SearchPage", self.page(SEARCH))

    def _row_changed(self, row: int) -> None:
        if not 0 <= row < len(PAGES):
            return
        protocols = self._protocols_with_edits()
        if protocols is not None and row != PROTOCOLS:
            # Unsaved edits to a protocol: stay until they are saved or let go.
            blocked = self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(PROTOCOLS)
            self.sidebar.blockSignals(blocked)
            protocols.before_leaving(lambda: self.show_page(row))
            return
        self.stack.setCurrentWidget(self.page(row))

    def open_search(self) -> None:
        self.show_page(SEARCH)
        self.search_page.focus_search()

    def come_forward(self) -> None:
        """Another launch on this data folder asked for this window instead."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def open_live(self, call_id: int) -> LiveWindow:
        """The call's live window, made on first use (its module loads only then)."""
        window = self.live_windows.get(call_id)
        if window is None:
            from sanctuary_desktop.ui.live_window import LiveWindow

            window = LiveWindow(self.ctx, call_id)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.closed.connect(self.live_windows.pop)
            self.live_windows[call_id] = window
            # While the call is under way the status bar says so, and brings it back.
            self.statusBar().addPermanentWidget(window.status_badge())
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def offer_to_resume(self, runs: list[RunSummary]) -> None:
        """A call left running (the app was killed, or the laptop died): offer to go back."""
        if not runs:
            return
        run = runs[0]
        home = zone(self.ctx.facilitator_zone)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Resume the live call",
            (
                f"{run.cohort_name} · {run.call_label} was paused when the app closed "
                f"(paused at {run.paused_at.astimezone(home):%H:%M})."
                if run.paused_at is not None
                else f"{run.cohort_name} · {run.call_label} was still running when the app "
                f"closed (started {run.started_at.astimezone(home):%a %d %b, %H:%M})."
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setInformativeText(
            "It waits where it was paused. Open it again?"
            if run.paused
            else "Its timer kept time. Open it again?"
        )
        resume = box.addButton("Resume the call", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(resume)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda _result: box.clickedButton() is resume and self.open_live(run.call_id)
        )
        self.resume_box = box
        box.open()

    def show_refusal(self, error: ValidationError) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "That could not be done",
            str(error),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setInformativeText("Nothing was changed.")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.refusal_box = box
        box.open()

    def show_page(self, index: int) -> None:
        self.sidebar.setCurrentRow(index)

    def _busy(self, busy: bool) -> None:
        zone = city_of(self.ctx.facilitator_zone)
        if busy:
            said = "Working…"
        elif self.unsaved_protocol:
            said = "Unsaved changes to a protocol"
        else:
            said = "Saved"
        self.status.setText(f"{said} · your time zone: {zone}")

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        self._action(
            file_menu, "&New cohort…", self.cohorts_page.new_cohort, QKeySequence.StandardKey.New
        )
        self._action(file_menu, "Open a &sample cohort", self.cohorts_page.open_sample)
        file_menu.addSeparator()
        self._action(file_menu, "&Import an archive…", self.import_archive)
        self._action(file_menu, "&Export this cohort to an archive…", self.export_cohort)
        self._action(file_menu, "Export &everything to an archive…", self.export_everything)
        self._action(file_menu, "&Restore from a backup…", self.restore_backup)
        file_menu.addSeparator()
        self._action(
            file_menu,
            "Se&ttings…",
            self.open_settings,
            standard_keys(QKeySequence.StandardKey.Preferences, "Ctrl+,"),
        )
        self._action(file_menu, "Open &data folder", self.open_data_folder)
        file_menu.addSeparator()
        self._action(
            file_menu, "&Quit", self.close, standard_keys(QKeySequence.StandardKey.Quit, "Ctrl+Q")
        )
        view = menus.addMenu("&View")
        self._action(view, "&Cohorts", lambda: self.show_page(COHORTS), QKeySequence("Ctrl+1"))
        self._action(view, "C&alendar", lambda: self.show_page(CALENDAR), QKeySequence("Ctrl+2"))
        self._action(view, "&Protocols", lambda: self.show_page(PROTOCOLS), QKeySequence("Ctrl+3"))
        self._action(
            view,
            "&Search",
            self.open_search,
            standard_keys(QKeySequence.StandardKey.Find, "Ctrl+F"),
        )
        help_menu = menus.addMenu("&Help")
        self.guide_action = self._action(
            help_menu,
            "&Guide: plan, run, print",
            self.open_guide,
            standard_keys(QKeySequence.StandardKey.HelpContents, "F1"),
        )
        self._action(help_menu, "&Keys for the live call", self.open_keys)
        help_menu.addSeparator()
        about = self._action(help_menu, f"&About {APP_NAME}", self.about)
        about.setMenuRole(QAction.MenuRole.AboutRole)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | list[QKeySequence] | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # -- moving and restoring data ---------------------------------------------------

    def export_cohort(self) -> None:
        from sanctuary_desktop.ui.pdf_export import file_name

        plan = self.cohorts_page.plan
        if plan is None:
            self.statusBar().showMessage("Choose a cohort first.", 5000)
            return
        self._export([plan.cohort.id], file_name(plan.cohort.name, suffix=".sanctuary"))

    def export_everything(self) -> None:
        self._export(None, "Sanctuary Desktop, all cohorts.sanctuary")

    def _export(self, cohort_ids: list[int] | None, suggested: str) -> None:
        from sanctuary_desktop.services import archive
        from sanctuary_desktop.ui.data_dialogs import choose_archive_to_save

        dialog = choose_archive_to_save(self, suggested)

        def write(path: str) -> None:
            self.ctx.services.call(
                archive.export_archive,
                Path(path),
                cohort_ids,
                then=lambda summary: self.statusBar().showMessage(
                    f"Saved {len(summary.cohorts)} cohort(s) to {summary.path}", 10000
                ),
                failed=lambda error: self.statusBar().showMessage(str(error), 10000),
            )

        dialog.fileSelected.connect(write)
        self.file_dialog = dialog
        dialog.open()

    def import_archive(self) -> None:
        from sanctuary_desktop.ui.data_dialogs import ArchiveImportDialog, choose_archive_to_open

        dialog = choose_archive_to_open(self)

        def preview(path: str) -> None:
            importer = ArchiveImportDialog(self.ctx, Path(path), self)
            importer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            importer.accepted.connect(lambda: self._imported(importer))
            self.import_dialog = importer
            importer.open()

        dialog.fileSelected.connect(preview)
        self.file_dialog = dialog
        dialog.open()

    def _imported(self, importer: ArchiveImportDialog) -> None:
        from sanctuary_desktop.ui.data_dialogs import import_summary

        if importer.import_result is not None:
            self.statusBar().showMessage(import_summary(importer.import_result), 10000)

    def restore_backup(self) -> None:
        if self.live_windows:
            self.statusBar().showMessage("Close the live call first, then restore.", 8000)
            return
        from sanctuary_desktop.ui.data_dialogs import RestoreDialog

        dialog = RestoreDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage("The backup was restored.", 10000)
        )
        self.restore_dialog = dialog
        dialog.open()

    def open_settings(self) -> None:
        from sanctuary_desktop.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._busy(False))
        self.settings_dialog = dialog
        dialog.open()

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.data_dir)))

    def about(self) -> None:
        dialog = AboutDialog(self.ctx.data_dir, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_dialog = dialog
        dialog.open()

    def open_guide(self) -> None:
        """The short guide, offline; F1 in the main window (the live window keeps its own)."""
        dialog = GuideDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.guide_dialog = dialog
        dialog.open()

    def open_keys(self) -> None:
        """The live window's card of keys, without a call running."""
        from sanctuary_desktop.ui.live_window import KeysDialog

        dialog = KeysDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.keys_dialog = dialog
        dialog.open()

    # -- window state --------------------------------------------------------------------

    def restore_state(self) -> None:
        """Put the window back where it was; a stale or broken saved state is ignored."""
        try:
            geometry = self.ctx.settings.value(self.ctx.setting_key("window/geometry"))
            if isinstance(geometry, QByteArray) and not self.restoreGeometry(geometry):
                log.info("saved window geometry did not fit; using defaults")
            self.show_page(saved_page(self.ctx))
        except Exception:  # a bad settings file must never stop the app from opening
            log.warning("could not restore window state", exc_info=True)

    def save_state(self) -> None:
        self.ctx.settings.setValue(self.ctx.setting_key("window/geometry"), self.saveGeometry())
        self.ctx.settings.setValue(self.ctx.setting_key("window/page"), self.sidebar.currentRow())
        self.ctx.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        protocols = self._protocols_with_edits()
        if protocols is not None:
            event.ignore()
            protocols.before_leaving(self.close)
            return
        for window in list(self.live_windows.values()):
            if not window.ask_to_quit(self.close):  # a running call asks first
                event.ignore()
                return
            window.close()
        self.save_state()
        super().closeEvent(event)
