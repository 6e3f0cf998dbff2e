"""The live window shows a protocol's own roles, not only the built-in four (issue 13)."""

from __future__ import annotations

import json
from datetime import timedelta

from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.clock import ManualClock
from sanctuary_desktop.domain.protocols import FILE_FORMAT, Role
from sanctuary_desktop.services import agendas, protocol_library
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.live_window import LiveWindow
from tests.ui.conftest import settle
from tests.ui.test_live_window import HeardSounds, next_call

CLINIC = {
    "format": FILE_FORMAT,
    "version": 1,
    "protocol": {
        "key": "our-clinic",
        "name": "Our clinic",
        "stages": [
            {
                "name": "Mirroring",
                "minutes": 15,
                "cues": {"presenter": "Listen", "coach": "Offer an image or a gesture"},
            }
        ],
    },
}


def test_a_coach_cue_shows_in_the_live_window(qtbot: QtBot, ctx: AppContext) -> None:
    call_id, starts = next_call(ctx)
    runner = ctx.services.runner
    protocol = runner.submit(protocol_library.import_protocol, json.dumps(CLINIC).encode()).result()
    runner.submit(agendas.apply_protocol, call_id, protocol.value.key).result()
    ctx.clock = ManualClock(starts - timedelta(minutes=1))
    window = LiveWindow(ctx, call_id, sounds=HeardSounds())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    settle(qtbot, ctx)

    role_label, cue = window.cue_labels[Role("coach")]
    assert role_label.text() == "Coach"
    assert cue.text() == "Offer an image or a gesture"
    assert cue.isVisible()
    assert not window.cue_labels[Role.PEERS][1].isVisible()
    assert window.grab().save("/tmp/s13/live_coach.png")
