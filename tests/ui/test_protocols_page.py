"""The Protocols page driven as a facilitator would: read, duplicate, edit, save, share."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.protocols import (
    DEFAULT_PROTOCOL_KEY,
    DEFAULT_URGENT_PERCENT,
    DEFAULT_WARN_PERCENT,
    MAX_WARN_PERCENT,
    Protocol,
    builtin,
    protocol_to_json,
)
from sanctuary_desktop.services import protocol_library
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.protocols_page import KEY_ROLE, ProtocolsPage
from tests.ui.conftest import settle


def make_page(qtbot: QtBot, ctx: AppContext) -> ProtocolsPage:
    page = ProtocolsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    settle(qtbot, ctx)
    return page


def stored(ctx: AppContext, key: str) -> Protocol:
    return ctx.services.runner.submit(protocol_library.get_protocol, key).result()


def own_protocols(ctx: AppContext) -> list[Protocol]:
    every = ctx.services.runner.submit(protocol_library.list_protocols).result()
    return [p for p in every if not p.built_in]


def duplicated(qtbot: QtBot, ctx: AppContext) -> ProtocolsPage:
    page = make_page(qtbot, ctx)
    page.select_protocol(DEFAULT_PROTOCOL_KEY)
    page.duplicate_button.click()
    settle(qtbot, ctx)
    return page


def test_builtin_is_read_only_and_duplicate_makes_an_editable_copy(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = make_page(qtbot, ctx)
    page.select_protocol(DEFAULT_PROTOCOL_KEY)
    original = builtin(DEFAULT_PROTOCOL_KEY)
    assert page.title.text() == original.name
    assert "Built-in" in page.kind_label.text()
    assert page.stack.currentWidget() is page.stage_table
    assert page.stage_model.rowCount() == len(original.stages)
    assert f"{original.total_minutes()} minutes" in page.facts_label.text()
    assert page.duplicate_button.text() == "Duplicate to edit"  # no dialog: no ellipsis
    assert page.delete_button.isHidden()

    page.duplicate_button.click()
    settle(qtbot, ctx)
    [copy] = own_protocols(ctx)
    assert copy.name == f"{original.name} (my copy)"
    assert page.current is not None and page.current.key == copy.key
    assert page.stack.currentWidget() is page.editor
    assert page.name_edit.text() == copy.name
    assert page.stage_list.count() == len(original.stages)
    assert not page.delete_button.isHidden()
    assert "Duplicated" in page.message.text()


def test_editing_stage_minutes_updates_the_total(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    assert page.current is not None
    before = page.current.total_minutes()
    page.stage_list.setCurrentRow(0)
    first = page.current.stages[0]
    assert not first.per_presenter
    page.stage_minutes.setValue(first.minutes + 7)
    assert f"{before + 7} minutes" in page.facts_label.text()
    assert page.dirty_label.text() == "Unsaved changes"
    assert f"{first.minutes + 7} min" in page.stage_list.item(0).text()


def test_invalid_protocol_shows_errors_and_writes_nothing(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    [before] = own_protocols(ctx)
    page.name_edit.clear()
    page.stage_list.setCurrentRow(1)
    page.stage_minutes.setValue(0)
    page.stage_list.setCurrentRow(0)
    page.save_button.click()
    settle(qtbot, ctx)
    assert "must not be empty" in page.form.error_text("Name")
    assert "Stage 2: Minutes" in page.form.general_error.text()
    assert page.stage_list.currentRow() == 1  # the first bad stage is shown
    assert "between 1 and 240" in page.stage_form.error_text("Minutes")
    assert "fix what is marked" in page.message.text()
    assert stored(ctx, before.key) == before


def test_stage_warnings_are_edited_and_saved(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    assert page.current is not None
    key = page.current.key
    first = page.current.stages[1]
    page.stage_list.setCurrentRow(1)
    assert page.stage_warn.value() == first.warn_percent
    assert page.stage_urgent.value() == first.urgent_percent
    assert page.stage_warn.suffix() == "% left"
    assert (page.stage_warn.minimum(), page.stage_warn.maximum()) == (0, MAX_WARN_PERCENT)
    assert "amber" in page.stage_warn.toolTip() and "red" in page.stage_urgent.toolTip()
    page.stage_warn.setValue(30)
    page.stage_urgent.setValue(10)
    assert page.dirty_label.text() == "Unsaved changes"
    page.stage_list.setCurrentRow(0)  # away and back: the draft keeps them
    page.stage_list.setCurrentRow(1)
    assert (page.stage_warn.value(), page.stage_urgent.value()) == (30, 10)
    page.save_button.click()
    settle(qtbot, ctx)
    saved = stored(ctx, key).stages
    assert (saved[1].warn_percent, saved[1].urgent_percent) == (30, 10)
    assert saved[1] == replace(first, warn_percent=30, urgent_percent=10)
    others = [(s.warn_percent, s.urgent_percent) for i, s in enumerate(saved) if i != 1]
    assert set(others) == {(DEFAULT_WARN_PERCENT, DEFAULT_URGENT_PERCENT)}
    page.stage_list.setCurrentRow(1)  # the editor reloaded from the saved protocol
    assert (page.stage_warn.value(), page.stage_urgent.value()) == (30, 10)
    assert not page.dirty


def test_last_warning_above_the_first_is_refused(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    [before] = own_protocols(ctx)
    page.stage_list.setCurrentRow(2)
    page.stage_warn.setValue(10)
    page.stage_urgent.setValue(15)
    page.stage_list.setCurrentRow(0)
    page.save_button.click()
    settle(qtbot, ctx)
    assert page.stage_list.currentRow() == 2  # the bad stage is shown
    error = page.stage_form.error_text("Last warning")
    assert error == "Last warning must come after the first warning"
    assert page.stage_form.error_text("First warning") == ""
    assert page.stage_list.item(2).toolTip() == error  # the stage is marked in the list
    assert "fix what is marked" in page.message.text()
    assert stored(ctx, before.key) == before


def test_builtin_table_shows_the_warnings(qtbot: QtBot, ctx: AppContext) -> None:
    page = make_page(qtbot, ctx)
    page.select_protocol(DEFAULT_PROTOCOL_KEY)
    stage = builtin(DEFAULT_PROTOCOL_KEY).stages[0]
    headers = [
        page.stage_model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(page.stage_model.columnCount())
    ]
    cell = page.stage_model.index(0, headers.index("Warnings")).data()
    assert cell == f"{stage.warn_percent}% · {stage.urgent_percent}%"


def test_reorder_with_the_keyboard_and_save(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    assert page.current is not None
    key = page.current.key
    names = [s.name for s in page.current.stages]
    page.stage_list.setCurrentRow(1)
    page.stage_list.setFocus()
    qtbot.keyClick(page.stage_list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert page.stage_list.currentRow() == 0
    assert [s.name for s in page.stages()][:2] == [names[1], names[0]]
    qtbot.keyClick(page.stage_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(page.stage_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert page.stage_list.currentRow() == 2
    expected = [names[0], names[2], names[1], *names[3:]]
    assert [s.name for s in page.stages()] == expected
    assert page.stage_list.item(2).text().startswith(f"3. {names[1]}")

    page.name_edit.setText("Our peer input")
    page.presenters_spin.setValue(3)
    page.save_button.click()
    settle(qtbot, ctx)
    saved = stored(ctx, key)
    assert saved.name == "Our peer input"
    assert saved.presenters == 3
    assert [s.name for s in saved.stages] == expected
    assert "Saved" in page.message.text()
    assert page.name_edit.text() == "Our peer input"  # reloaded after the refresh


def test_buttons_add_remove_and_move_stages(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    assert page.current is not None
    count = page.stage_list.count()
    page.stage_list.setCurrentRow(0)
    assert not page.up_button.isEnabled()
    page.add_stage_button.click()
    assert page.stage_list.count() == count + 1
    assert page.stage_list.currentRow() == 1
    page.stage_name.setText("Arrival")
    page.stage_name.textEdited.emit("Arrival")
    page.cue_edits[next(iter(page.cue_edits))].setText("Welcome everyone")
    page.up_button.click()
    assert page.stages()[0].name == "Arrival"
    page.down_button.click()
    page.stage_list.setCurrentRow(count)
    page.remove_stage_button.click()
    assert page.stage_list.count() == count
    page.save_button.click()
    settle(qtbot, ctx)
    assert [s.name for s in stored(ctx, page.current.key).stages][1] == "Arrival"


def test_import_bad_bytes_shows_error_and_good_bytes_adds(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    page = make_page(qtbot, ctx)
    page.import_bytes(b"{not json")
    settle(qtbot, ctx)
    assert page.message.isVisible() or not page.isVisible()
    assert "The file is not valid JSON" in page.message.text()
    assert "Nothing was changed" in page.message.text()
    assert own_protocols(ctx) == []

    page.select_protocol("troika")
    page.export_to(tmp_path / "troika.json")
    settle(qtbot, ctx)
    data = (tmp_path / "troika.json").read_bytes()
    assert "Send it to a peer" in page.message.text()
    page.import_bytes(data)
    settle(qtbot, ctx)
    [imported] = own_protocols(ctx)
    assert imported.name == builtin("troika").name
    assert imported.stages == builtin("troika").stages
    assert page.current is not None and page.current.key == imported.key
    assert page.stack.currentWidget() is page.editor


def test_export_of_own_protocol_imports_back(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    page = duplicated(qtbot, ctx)
    assert page.current is not None
    original = page.current
    target = tmp_path / "shared.json"
    page.export_to(target)
    settle(qtbot, ctx)
    page.import_bytes(target.read_bytes())
    settle(qtbot, ctx)
    mine = own_protocols(ctx)
    assert len(mine) == 2
    copy = next(p for p in mine if p.key != original.key)
    assert copy.stages == original.stages and copy.name == original.name


def test_import_file_reads_on_the_worker(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    page = make_page(qtbot, ctx)
    page.import_file(tmp_path / "missing.json")
    settle(qtbot, ctx)
    assert "The file could not be read" in page.message.text()


def test_delete_own_protocol(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    assert page.current is not None
    page.delete(page.current.key)
    settle(qtbot, ctx)
    assert own_protocols(ctx) == []
    assert page.current is None


def test_inputs_have_accessible_names(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

    kinds = (QLineEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox, QCheckBox)
    for widget in page.findChildren(QWidget):
        if isinstance(widget, kinds) and not isinstance(widget.parent(), QAbstractSpinBox):
            if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox):
                continue
            name = widget.accessibleName() or getattr(widget, "text", lambda: "")()
            assert name, widget


# -- unsaved edits ----------------------------------------------------------------------


def edited_then_pick(qtbot: QtBot, ctx: AppContext, key: str) -> tuple[ProtocolsPage, Protocol]:
    """A duplicated protocol with an unsaved new name; then another protocol is clicked."""
    page = duplicated(qtbot, ctx)
    assert page.current is not None
    mine = page.current
    page.name_edit.setText("Our own rhythm")
    page.name_edit.textEdited.emit("Our own rhythm")
    assert page.dirty
    item = page._item_for(key)
    assert item is not None
    page.list.setCurrentItem(item)  # as a click on it does
    return page, mine


def answer(page: ProtocolsPage, button: QMessageBox.StandardButton) -> None:
    box = page.unsaved_box
    assert isinstance(box, QMessageBox)
    assert box.isVisible() and box.windowModality() == Qt.WindowModality.WindowModal
    assert box.text() == "Save changes to “Our own rhythm”?"
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Save)
    box.button(button).click()
    assert page.unsaved_box is None


def test_leaving_unsaved_edits_and_choosing_save(qtbot: QtBot, ctx: AppContext) -> None:
    page, mine = edited_then_pick(qtbot, ctx, "troika")
    assert page.current is not None and page.current.key == mine.key  # nothing yet
    answer(page, QMessageBox.StandardButton.Save)
    settle(qtbot, ctx)
    assert stored(ctx, mine.key).name == "Our own rhythm"
    assert page.current is not None and page.current.key == "troika"
    assert page.list.currentItem().data(KEY_ROLE) == "troika"
    assert page.stack.currentWidget() is page.stage_table
    assert not page.dirty
    assert "Saved “Our own rhythm”" in page.message.text()


def test_leaving_unsaved_edits_and_choosing_discard(qtbot: QtBot, ctx: AppContext) -> None:
    page, mine = edited_then_pick(qtbot, ctx, "troika")
    answer(page, QMessageBox.StandardButton.Discard)
    settle(qtbot, ctx)
    assert stored(ctx, mine.key) == mine
    assert page.current is not None and page.current.key == "troika"
    assert page.title.text() == builtin("troika").name
    assert not page.dirty
    page.select_protocol(mine.key)  # back again: the saved version, no question asked
    assert page.unsaved_box is None
    assert page.name_edit.text() == mine.name


def test_leaving_unsaved_edits_and_choosing_cancel(qtbot: QtBot, ctx: AppContext) -> None:
    page, mine = edited_then_pick(qtbot, ctx, "troika")
    answer(page, QMessageBox.StandardButton.Cancel)
    settle(qtbot, ctx)
    assert page.current is not None and page.current.key == mine.key
    assert page.list.currentItem().data(KEY_ROLE) == mine.key  # chosen again in the list
    assert page.stack.currentWidget() is page.editor
    assert page.name_edit.text() == "Our own rhythm" and page.dirty
    assert page.dirty_label.text() == "Unsaved changes"
    assert stored(ctx, mine.key) == mine


def test_duplicate_and_import_ask_first_too(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    assert page.current is not None
    mine = page.current
    page.name_edit.setText("Our own rhythm")
    page.name_edit.textEdited.emit("Our own rhythm")
    data = protocol_to_json(builtin("troika")).encode()
    page.import_bytes(data)
    answer(page, QMessageBox.StandardButton.Cancel)
    settle(qtbot, ctx)
    assert [p.key for p in own_protocols(ctx)] == [mine.key]  # nothing imported
    assert page.dirty

    page.duplicate_button.click()
    answer(page, QMessageBox.StandardButton.Save)
    settle(qtbot, ctx)
    names = sorted(p.name for p in own_protocols(ctx))
    assert names == ["Our own rhythm", "Our own rhythm (my copy)"]  # saved, then copied
    assert page.current is not None and page.current.name == "Our own rhythm (my copy)"


def test_stage_editor_scrolls_in_a_small_window(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    page.resize(1280, 560)  # what is left of 1280x800 with a title bar, menus and a header
    page.show()
    qtbot.waitExposed(page)
    page.stage_list.setCurrentRow(2)
    QApplication.processEvents()
    assert page.height() == 560  # the editor does not force the window taller
    assert page.stage_scroll.widget() is page.stage_panel
    # Every field keeps its full height, in a panel that scrolls.
    assert page.stage_panel.height() >= page.stage_panel.minimumSizeHint().height()
    bar = page.stage_scroll.verticalScrollBar()
    assert bar.maximum() > 0
    save_bottom = page.save_button.mapTo(page, QPoint(0, page.save_button.height())).y()
    assert save_bottom <= page.height()
    last_cue = list(page.cue_edits.values())[-1]
    page.stage_scroll.ensureWidgetVisible(last_cue)
    top = last_cue.mapTo(page.stage_scroll.viewport(), QPoint(0, 0)).y()
    assert top >= 0 and top + last_cue.height() <= page.stage_scroll.viewport().height()


# -- how it looks -----------------------------------------------------------------------


def test_screenshots(qtbot: QtBot, ctx: AppContext, themed: None, tmp_path: Path) -> None:
    """For a human to look at: a built-in, then the editor with an error."""
    shots = Path(os.environ.get("SANCTUARY_SHOTS", str(tmp_path)))
    shots.mkdir(parents=True, exist_ok=True)
    holder = QWidget()
    qtbot.addWidget(holder)
    page = ProtocolsPage(ctx, holder)
    holder.resize(1280, 800)
    page.resize(1280, 800)
    settle(qtbot, ctx)
    page.select_protocol(DEFAULT_PROTOCOL_KEY)
    assert holder.grab().save(str(shots / "protocols_builtin.png"))
    page.duplicate_button.click()
    settle(qtbot, ctx)
    holder.show()  # a hidden scroll area keeps a stale layout in a grab
    qtbot.waitExposed(holder)
    page.stage_list.setCurrentRow(2)
    QApplication.processEvents()  # let the scroll area lay out the stage it now shows
    assert holder.grab().save(str(shots / "protocols.png"))
    page.name_edit.setText("Our own rhythm")
    page.name_edit.textEdited.emit("Our own rhythm")
    page.select_protocol("troika")
    box = page.unsaved_box
    assert box is not None
    qtbot.waitExposed(box)
    assert box.grab().save(str(shots / "protocols_unsaved.png"))
    box.button(QMessageBox.StandardButton.Cancel).click()
