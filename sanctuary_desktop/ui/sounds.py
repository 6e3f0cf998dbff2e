"""The live timer's chimes and bell, played through QtMultimedia when it is there.

QtMultimedia is imported on the first sound, not at start-up: it is a large library,
and on Linux it needs PulseAudio's client library. If it cannot be loaded, or there
is no audio output, or the audio backend fails to load a sound, the player says so once
in the log, stays silent, and tells the window (``available``, ``availability_changed``)
so it can say that sound is unavailable; a missing chime must never interrupt a call.
An audio output plugged in later brings the sounds back.
"""

from __future__ import annotations

import importlib.resources
import logging
import weakref
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QUrl
from PySide6.QtCore import Signal as QtSignal

from sanctuary_desktop.domain.timer import Signal

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

log = logging.getLogger(__name__)

SOUND_FILES = {
    Signal.WARNING: "gentle-chime.wav",
    Signal.END: "end-chime.wav",
    Signal.BELL: "meditation-bell.wav",
}
DEFAULT_VOLUME = 0.8


class Sounds(Protocol):
    """What the live window needs from a sound player; tests hand in a fake."""

    @property
    def muted(self) -> bool: ...

    @property
    def available(self) -> bool: ...

    def set_muted(self, muted: bool) -> None: ...

    def play(self, signal: Signal) -> None: ...


class RecordingSounds:
    """A silent stand-in that remembers what it was asked to play while not muted."""

    def __init__(self, *, available: bool = True) -> None:
        self.played: list[Signal] = []
        self._muted = False
        self.available = available
        self.reason = "" if available else "no audio output was found"

    @property
    def muted(self) -> bool:
        return self._muted

    def set_muted(self, muted: bool) -> None:
        self._muted = muted

    def play(self, signal: Signal) -> None:
        if not self._muted:
            self.played.append(signal)


def sound_path(signal: Signal, files: ExitStack) -> Path:
    """A file on disk for the signal's sound; ``files`` keeps any extracted copy alive."""
    resource = importlib.resources.files("sanctuary_desktop.resources").joinpath(
        "sounds", SOUND_FILES[signal]
    )
    return files.enter_context(importlib.resources.as_file(resource))


class SoundPlayer(QObject):
    """Plays each signal's sound with one QSoundEffect per sound, made on first use."""

    played = QtSignal(str)  # the Signal's value, once its sound has been started
    availability_changed = QtSignal(bool)  # sound became unavailable, or available again

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._muted = False
        self._volume = DEFAULT_VOLUME
        self._effects: dict[Signal, QSoundEffect] | None = None
        self._silent = False  # QtMultimedia or an audio output is missing: stay quiet
        self._reason = ""
        self._devices: QMediaDevices | None = None  # watches for outputs coming and going
        # Holds extracted copies of the sounds, if the package is not plain files on disk.
        self._files = ExitStack()
        weakref.finalize(self, self._files.close)

    @property
    def muted(self) -> bool:
        return self._muted

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        if muted and self._effects:
            for effect in self._effects.values():
                effect.stop()

    @property
    def volume(self) -> float:
        """Linear, 0 (silent) to 1 (as recorded)."""
        return self._volume

    def set_volume(self, volume: float) -> None:
        self._volume = min(1.0, max(0.0, volume))
        for effect in (self._effects or {}).values():
            effect.setVolume(self._volume)

    @property
    def available(self) -> bool:
        """False once the player has found it cannot make a sound on this machine."""
        return not self._silent

    @property
    def reason(self) -> str:
        """Why there is no sound, in words for the facilitator; empty while there is."""
        return self._reason

    def play(self, signal: Signal) -> None:
        if self._muted or self._silent:
            return
        effects = self._load()
        if effects is None:
            return
        effect = effects[signal]
        effect.stop()  # the same chime twice in a row starts again rather than overlapping
        effect.play()
        self.played.emit(signal.value)

    def preload(self) -> None:
        """Load the sounds now (when a call opens), so the first chime is not late."""
        if not self._silent:
            self._load()

    def _load(self) -> dict[Signal, QSoundEffect] | None:
        if self._effects is not None:
            return self._effects
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as error:  # no PySide6-Addons, or no libpulse on Linux
            self._go_silent("Qt's sound library (QtMultimedia) could not be loaded", "(%s)", error)
            return None
        try:
            self._watch_outputs(QMediaDevices)
            if not QMediaDevices.audioOutputs():
                self._go_silent("no audio output was found")
                return None
            effects: dict[Signal, QSoundEffect] = {}
            for signal in Signal:
                effect = QSoundEffect(self)
                effect.statusChanged.connect(lambda e=effect, s=signal: self._check_status(e, s))
                effect.setSource(QUrl.fromLocalFile(str(sound_path(signal, self._files))))
                effect.setVolume(self._volume)
                effects[signal] = effect
        except Exception as error:  # any failure here must leave the call undisturbed
            self._go_silent("the sounds could not be prepared", "(%s)", error)
            return None
        self._effects = effects
        return effects

    def _watch_outputs(self, devices: type[QMediaDevices]) -> None:
        if self._devices is None:
            try:
                self._devices = devices(self)
                self._devices.audioOutputsChanged.connect(self._outputs_changed)
            except Exception:  # a backend that cannot watch: the first answer stands
                log.debug("cannot watch audio outputs", exc_info=True)

    def _outputs_changed(self) -> None:
        """An output came or went: look again (the effects are made afresh for it)."""
        from PySide6.QtMultimedia import QMediaDevices

        was = self.available
        for effect in (self._effects or {}).values():
            effect.deleteLater()
        self._effects = None
        self._silent = not QMediaDevices.audioOutputs()
        self._reason = "no audio output was found" if self._silent else ""
        if self.available != was:
            self.availability_changed.emit(self.available)

    def _check_status(self, effect: QSoundEffect, signal: Signal) -> None:
        if effect.status() == type(effect).Status.Error:
            log.warning(
                "The %s sound failed to load or play (%s)", signal, effect.source().fileName()
            )
            self._go_silent("the audio system could not play the chimes")

    def _go_silent(self, reason: str, detail: str = "", *args: object) -> None:
        was = self.available
        self._silent = True
        self._reason = reason
        if was:
            log.warning("Sounds are off: " + reason + (" " + detail if detail else ""), *args)
            self.availability_changed.emit(False)
