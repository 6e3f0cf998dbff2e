"""The Protocols page: roles are data, the source is shown, unsaved edits say so (issue 13)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY, DEFAULT_ROLES, Role
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.protocols_page import ProtocolsPage
from tests.ui.conftest import settle
from tests.ui.test_protocols_page import duplicated, make_page, stored

SHOTS = "/tmp/s13"


def type_into_role_editor(qtbot: QtBot, page: ProtocolsPage, text: str) -> None:
    """Type over the in-place editor the list opened, then press Enter, as a person does."""
    QApplication.processEvents()
    editor = page.roles_list.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def role_labels(page: ProtocolsPage) -> list[str]:
    return [page.roles_list.item(row).text() for row in range(page.roles_list.count())]


def test_a_facilitator_adds_a_coach_gives_it_a_cue_and_saves(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    page.show()
    qtbot.waitExposed(page)
    assert page.current is not None
    key = page.current.key
    assert role_labels(page) == ["Presenter", "Peers", "Facilitator", "Timekeeper"]

    qtbot.mouseClick(page.add_role_button, Qt.MouseButton.LeftButton)
    type_into_role_editor(qtbot, page, "Coach")
    assert role_labels(page)[-1] == "Coach"
    assert Role("Coach") in page.cue_edits
    assert page.dirty_label.text() == "Unsaved changes"

    page.stage_list.setCurrentRow(4)
    QTest.keyClicks(page.cue_edits[Role("Coach")], "Mirror what you heard")
    page.stage_list.setCurrentRow(0)  # away and back: the draft keeps the cue
    page.stage_list.setCurrentRow(4)
    assert page.cue_edits[Role("Coach")].text() == "Mirror what you heard"
    assert "Coach" in page.facts_label.text()
    page.grab().save(f"{SHOTS}/protocols_roles.png")

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    saved = stored(ctx, key)
    assert saved.roles == (*DEFAULT_ROLES, Role("Coach"))
    assert saved.stages[4].cues[Role("Coach")] == "Mirror what you heard"
    assert not page.dirty


def test_renaming_a_role_carries_its_cues_and_removing_one_drops_them(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = duplicated(qtbot, ctx)
    page.show()
    qtbot.waitExposed(page)
    assert page.current is not None
    key = page.current.key
    peers_cues = [stage.cues.get(Role.PEERS) for stage in page.current.stages]

    page.roles_list.setCurrentRow(1)
    qtbot.mouseClick(page.rename_role_button, Qt.MouseButton.LeftButton)
    type_into_role_editor(qtbot, page, "Coaches")
    assert role_labels(page)[1] == "Coaches"
    assert Role.PEERS not in page.cue_edits

    page.roles_list.setCurrentRow(3)
    qtbot.mouseClick(page.remove_role_button, Qt.MouseButton.LeftButton)
    assert role_labels(page) == ["Presenter", "Coaches", "Facilitator"]
    assert "Removed the role “Timekeeper” and its cues in" in page.message.text()

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    saved = stored(ctx, key)
    assert saved.roles == (Role.PRESENTER, Role("Coaches"), Role.FACILITATOR)
    assert [stage.cues.get(Role("Coaches")) for stage in saved.stages] == peers_cues
    assert all(Role.TIMEKEEPER not in stage.cues for stage in saved.stages)


def test_a_role_named_twice_or_blank_keeps_its_name_and_says_why(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = duplicated(qtbot, ctx)
    page.show()
    qtbot.waitExposed(page)
    page.roles_list.setCurrentRow(1)
    qtbot.mouseClick(page.rename_role_button, Qt.MouseButton.LeftButton)
    type_into_role_editor(qtbot, page, "presenter")
    assert role_labels(page)[1] == "Peers"
    assert "already a role called “Presenter”" in page.message.text()
    qtbot.mouseClick(page.rename_role_button, Qt.MouseButton.LeftButton)
    type_into_role_editor(qtbot, page, "   ")
    assert role_labels(page)[1] == "Peers"
    assert "needs a name" in page.message.text()


def test_the_built_in_default_says_whose_proposal_it_is(qtbot: QtBot, ctx: AppContext) -> None:
    page = make_page(qtbot, ctx)
    page.select_protocol(DEFAULT_PROTOCOL_KEY)
    assert page.source_label.text().startswith("Source: ")
    assert "own proposal" in page.source_label.text()
    assert not page.source_label.isHidden()
    assert "Roles: Presenter, Peers, Facilitator, Timekeeper" in page.facts_label.text()
    page.grab().save(f"{SHOTS}/protocols_builtin_source.png")


def test_name_and_source_are_saved_on_one_line(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    assert page.current is not None
    key = page.current.key
    for edit, text in (
        (page.name_edit, "Our\nrhythm"),
        (page.source_edit, "Aroha and\r\nTewodros"),
    ):
        edit.setText(text)
        edit.textEdited.emit(text)
    page.save_button.click()
    settle(qtbot, ctx)
    saved = stored(ctx, key)
    assert (saved.name, saved.source) == ("Our rhythm", "Aroha and Tewodros")


def test_unsaved_edits_are_announced_and_cleared_by_saving(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    heard: list[bool] = []
    page.unsaved_changed.connect(heard.append)
    page.name_edit.setFocus()
    QTest.keyClicks(page.name_edit, " again")
    assert heard == [True]
    assert page.has_unsaved()
    assert "unsaved changes" in page.kind_label.text()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert heard == [True, False]
    assert "unsaved" not in page.kind_label.text()


def test_discarding_on_the_way_to_a_built_in_announces_nothing_unsaved(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = duplicated(qtbot, ctx)
    heard: list[bool] = []
    page.unsaved_changed.connect(heard.append)
    QTest.keyClicks(page.name_edit, " again")
    page.select_protocol("troika")
    box = page.unsaved_box
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Discard).click()
    assert page.current is not None and page.current.key == "troika"
    assert heard == [True, False]
    assert not page.has_unsaved()


def test_an_imported_source_is_shown_as_words_not_markup(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    page.source_edit.setText("<b>Bold</b> & friends")
    page.source_edit.textEdited.emit(page.source_edit.text())
    page.save_button.click()
    settle(qtbot, ctx)
    assert page.current is not None
    page._show(page.current)
    assert page.source_label.textFormat() == Qt.TextFormat.PlainText
    assert page.source_label.text() == "Source: <b>Bold</b> & friends"


def test_tab_goes_from_the_prompt_through_each_role_s_cue(qtbot: QtBot, ctx: AppContext) -> None:
    page = duplicated(qtbot, ctx)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.roles_list.setCurrentRow(3)
    page.remove_role_button.click()  # the cue rows are made anew
    page.stage_prompt.setFocus()
    QApplication.processEvents()
    assert QApplication.focusWidget() is page.stage_prompt
    seen = []
    for _ in range(4):
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [*page.cue_edits.values(), page.revert_button]
