"""The app's one change signal, and requests to navigate."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Events(QObject):
    """A service says what it changed; views refresh from that, never by polling."""

    data_changed = Signal(object)  # frozenset[Topic]
    open_cohort = Signal(int)  # cohort id
    open_call = Signal(int, int)  # cohort id, call id
    open_participant = Signal(int, int)  # cohort id, participant id: on the Roster
    run_live = Signal(int)  # call id: open (or bring forward) its live window
