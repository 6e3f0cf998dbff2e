"""The chimes and bell: the committed files, the player's quiet failures, its lazy import."""

from __future__ import annotations

import importlib.resources
import logging
import os
import subprocess
import sys
import wave
from array import array
from pathlib import Path
from typing import ClassVar

import pytest
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.timer import Signal
from sanctuary_desktop.ui.sounds import SOUND_FILES, RecordingSounds, SoundPlayer, Sounds

ROOT = Path(__file__).resolve().parents[2]
MAX_BYTES = 300 * 1024
# Shortest and longest each sound may last, in seconds.
LENGTHS = {Signal.WARNING: (0.5, 2.0), Signal.END: (1.0, 3.0), Signal.BELL: (2.0, 3.4)}


def samples(path: Path) -> tuple[tuple[int, int, int, int], array[int]]:
    """(channels, bytes per sample, rate, frame count), and the samples."""
    with wave.open(str(path), "rb") as sound:
        channels, width, rate, count, _, _ = sound.getparams()
        frames = array("h", sound.readframes(count))
    if sys.byteorder == "big":  # WAV is little-endian
        frames.byteswap()
    return (channels, width, rate, count), frames


def committed(signal: Signal) -> Path:
    resource = importlib.resources.files("sanctuary_desktop.resources") / "sounds"
    return Path(str(resource / SOUND_FILES[signal]))


# -- the files ---------------------------------------------------------------------------


@pytest.mark.parametrize("signal", list(Signal))
def test_each_sound_is_a_short_16_bit_mono_wav(signal: Signal) -> None:
    path = committed(signal)
    assert path.stat().st_size < MAX_BYTES
    (channels, width, rate, count), frames = samples(path)
    assert (channels, width, rate) == (1, 2, 44_100)
    assert len(frames) == count
    shortest, longest = LENGTHS[signal]
    assert shortest <= count / rate <= longest
    peak = max(abs(s) for s in frames)
    assert 0.45 * 32767 <= peak <= 0.55 * 32767  # about -6 dBFS: room to spare, never clipped
    assert abs(frames[0]) < 50 and abs(frames[-1]) < 50  # starts and ends without a click
    first_half_millisecond = frames[:22]
    assert max(abs(s) for s in first_half_millisecond) < 0.2 * peak  # a gentle rise


def test_the_committed_sounds_are_what_the_script_makes(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "make_sounds.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for signal, name in SOUND_FILES.items():
        made_params, made = samples(tmp_path / name)
        kept_params, kept = samples(committed(signal))
        assert made_params == kept_params
        # A different maths library may round a sample the other way; no more than that.
        assert max(abs(a - b) for a, b in zip(made, kept, strict=True)) <= 1, name


# -- the player --------------------------------------------------------------------------


def test_the_real_player_never_raises_even_without_audio(qtbot: QtBot) -> None:
    player = SoundPlayer()
    for signal in Signal:
        player.play(signal)  # offscreen there is no audio device (or no QtMultimedia)
    player.preload()
    player.set_volume(2.0)
    assert player.volume == 1.0
    player.set_volume(0.3)
    assert player.volume == pytest.approx(0.3)
    player.play(Signal.BELL)


def test_without_qt_multimedia_it_says_so_once_and_stays_silent(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # as if not installed
    player = SoundPlayer()
    played: list[str] = []
    player.played.connect(played.append)
    with caplog.at_level(logging.WARNING, logger="sanctuary_desktop.ui.sounds"):
        for signal in (*Signal, *Signal):
            player.play(signal)
    assert played == []
    assert not player.available
    warnings = [r.getMessage() for r in caplog.records if r.name == "sanctuary_desktop.ui.sounds"]
    assert len(warnings) == 1
    assert "QtMultimedia" in warnings[0]


def test_with_an_audio_output_it_keeps_one_effect_per_sound(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    multimedia = pytest.importorskip("PySide6.QtMultimedia", exc_type=ImportError)
    # Offscreen there is no output; pretend there is one, so the effects are made.
    monkeypatch.setattr(multimedia.QMediaDevices, "audioOutputs", staticmethod(lambda: [None]))
    player = SoundPlayer()
    played: list[str] = []
    player.played.connect(played.append)
    for signal in (*Signal, Signal.BELL):
        player.play(signal)
    effects = player.findChildren(multimedia.QSoundEffect)
    assert len(effects) == len(Signal)
    assert {Path(e.source().toLocalFile()).name for e in effects} == set(SOUND_FILES.values())
    if player.available:
        assert played == ["warning", "end", "bell", "bell"]
    else:  # the backend here cannot load them: said once, and silent from then on
        assert "could not play" in player.reason
        assert played == played[:1]
    player.set_volume(0.25)
    assert all(e.volume() == pytest.approx(0.25) for e in effects)
    qtbot.waitUntil(lambda: all(e.status() != e.Status.Loading for e in effects))
    player.set_muted(True)
    assert not any(e.isPlaying() for e in effects)


def test_a_muted_player_plays_nothing(qtbot: QtBot) -> None:
    player = SoundPlayer()
    played: list[str] = []
    player.played.connect(played.append)
    player.set_muted(True)
    assert player.muted
    for signal in Signal:
        player.play(signal)
    assert played == []
    assert player.available  # muted before it tried: it never went looking for audio


def test_the_recording_fake_stands_in_for_the_player() -> None:
    sounds: Sounds = RecordingSounds()
    sounds.play(Signal.WARNING)
    sounds.set_muted(True)
    sounds.play(Signal.END)
    sounds.set_muted(False)
    sounds.play(Signal.BELL)
    assert isinstance(sounds, RecordingSounds)
    assert sounds.played == [Signal.WARNING, Signal.BELL]


class FakeMultimedia:
    """Stands in for PySide6.QtMultimedia: outputs to plug in and out, effects that load."""

    def __init__(self, outputs: int = 0, *, loads: bool = True) -> None:
        from PySide6.QtCore import QObject
        from PySide6.QtCore import Signal as QtSignal

        fake = self

        class QMediaDevices(QObject):
            audioOutputsChanged = QtSignal()
            made: ClassVar[list[QMediaDevices]] = []

            def __init__(self, parent: QObject | None = None) -> None:
                super().__init__(parent)
                QMediaDevices.made.append(self)

            @staticmethod
            def audioOutputs() -> list[str]:
                return ["speakers"] * fake.outputs

        class QSoundEffect(QObject):
            statusChanged = QtSignal()

            class Status:
                Ready = 2
                Error = 3

            def __init__(self, parent: QObject | None = None) -> None:
                super().__init__(parent)
                self._status = 0
                self.plays = 0

            def setSource(self, url: object) -> None:
                self._source = url
                self._status = self.Status.Ready if fake.loads else self.Status.Error
                self.statusChanged.emit()

            def source(self) -> object:
                return self._source

            def setVolume(self, volume: float) -> None:
                pass

            def status(self) -> int:
                return self._status

            def play(self) -> None:
                self.plays += 1

            def stop(self) -> None:
                pass

        self.outputs = outputs
        self.loads = loads
        self.QMediaDevices = QMediaDevices
        self.QSoundEffect = QSoundEffect

    def plug(self, outputs: int) -> None:
        self.outputs = outputs
        for devices in self.QMediaDevices.made:
            devices.audioOutputsChanged.emit()


def test_no_audio_output_means_sound_unavailable_until_one_is_plugged_in(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeMultimedia(outputs=0)
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", fake)
    player = SoundPlayer()
    changes: list[bool] = []
    player.availability_changed.connect(changes.append)
    player.preload()
    assert not player.available
    assert player.reason == "no audio output was found"
    assert changes == [False]
    fake.plug(1)  # headphones
    assert player.available and player.reason == ""
    assert changes == [False, True]
    played: list[str] = []
    player.played.connect(played.append)
    player.play(Signal.END)
    assert played == ["end"]


def test_a_backend_that_cannot_load_the_sounds_makes_sound_unavailable(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", FakeMultimedia(1, loads=False))
    player = SoundPlayer()
    changes: list[bool] = []
    player.availability_changed.connect(changes.append)
    player.preload()
    assert not player.available
    assert "could not play" in player.reason
    assert changes == [False]


def test_without_qt_multimedia_the_reason_names_it(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    player = SoundPlayer()
    player.preload()
    assert not player.available and "QtMultimedia" in player.reason


LAZY_IMPORT = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from sanctuary_desktop.ui.sounds import SoundPlayer
from sanctuary_desktop.domain.timer import Signal
player = SoundPlayer()
player.set_muted(True)
player.play(Signal.BELL)
assert "PySide6.QtMultimedia" not in sys.modules, "imported before the first sound"
player.set_muted(False)
player.play(Signal.BELL)
print("ok", player.available)
"""


def test_qt_multimedia_is_imported_only_for_the_first_sound() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", LAZY_IMPORT],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
