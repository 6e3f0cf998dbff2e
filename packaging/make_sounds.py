"""Synthesise the live timer's sounds as 16-bit mono 44.1 kHz WAV files.

Run from the repository root: ``python packaging/make_sounds.py`` writes into
``resources/sounds/`` (or the folder given). Standard library only,
no randomness: the same files come out every time, so the committed ones can be
checked against this script.
"""

from __future__ import annotations

import argparse
import math
import sys
import wave
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

RATE = 44_100
PEAK_DBFS = -6.0
FADE_IN_SECONDS = 0.004  # a hard start clicks
FADE_OUT_SECONDS = 0.25  # so the file ends in silence, not in a cut
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "resources/sounds"


@dataclass(frozen=True)
class Partial:
    frequency: float  # Hz
    amplitude: float
    decay: float  # seconds for the partial to fall to 1/e


@dataclass(frozen=True)
class Strike:
    at: float  # seconds from the start of the file
    partials: tuple[Partial, ...]


def render(
    strikes: Sequence[Strike], seconds: float, fade_out_seconds: float = FADE_OUT_SECONDS
) -> list[float]:
    """Sum of exponentially decaying sines, each strike with its own short fade-in."""
    count = round(seconds * RATE)
    samples = [0.0] * count
    fade_in = FADE_IN_SECONDS * RATE
    for strike in strikes:
        first = round(strike.at * RATE)
        for partial in strike.partials:
            step = 2.0 * math.pi * partial.frequency / RATE
            fall = math.exp(-1.0 / (partial.decay * RATE))
            level = partial.amplitude
            for n in range(count - first):
                ramp = n / fade_in if n < fade_in else 1.0
                samples[first + n] += level * ramp * math.sin(step * n)
                level *= fall
    fade_out = round(fade_out_seconds * RATE)
    for n in range(fade_out):
        samples[count - 1 - n] *= n / fade_out
    return samples


def to_pcm16(samples: Sequence[float], peak_dbfs: float = PEAK_DBFS) -> array[int]:
    loudest = max(abs(s) for s in samples) or 1.0
    scale = 32767 * 10 ** (peak_dbfs / 20) / loudest
    return array("h", (round(s * scale) for s in samples))


def write_wav(path: Path, pcm: array[int]) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        if sys.byteorder == "big":  # WAV samples are little-endian; array is native
            pcm = array("h", pcm)
            pcm.byteswap()
        out.writeframes(pcm.tobytes())


def soft_note(frequency: float, at: float, decay: float, loudness: float = 1.0) -> Strike:
    """A rounded, glassy note: mostly fundamental, a little octave and twelfth."""
    return Strike(
        at,
        (
            Partial(frequency, loudness, decay),
            Partial(frequency * 2.0, 0.22 * loudness, decay * 0.5),
            Partial(frequency * 3.0, 0.06 * loudness, decay * 0.3),
        ),
    )


def gentle_chime() -> list[float]:
    """One soft high note: a nudge that time is getting short."""
    return render([soft_note(1046.50, 0.0, 0.30)], 1.2)  # C6


def end_chime() -> list[float]:
    """Two soft notes falling a major third: this part is over."""
    first = soft_note(783.99, 0.0, 0.40)  # G5
    second = soft_note(622.25, 0.42, 0.55, loudness=0.8)  # Eb5, softer: settling, not alarming
    return render([first, second], 1.9)


def meditation_bell() -> list[float]:
    """A singing bowl: inharmonic partials in slightly detuned pairs, which beat slowly."""
    base = 392.0
    ratios = ((1.0, 1.0, 2.4), (2.71, 0.45, 1.5), (5.15, 0.22, 0.9), (8.43, 0.09, 0.5))
    partials: list[Partial] = []
    for ratio, amplitude, decay in ratios:
        # A real bowl is never perfectly round: each mode splits into two close tones.
        beat = 0.9 + ratio * 0.35
        partials.append(Partial(base * ratio, amplitude * 0.7, decay))
        partials.append(Partial(base * ratio + beat, amplitude * 0.3, decay))
    # The file must stay small, so the long tail is a slow fade rather than a longer file.
    return render([Strike(0.0, tuple(partials))], 2.9, fade_out_seconds=1.4)


SOUNDS = {
    "gentle-chime.wav": gentle_chime,
    "end-chime.wav": end_chime,
    "meditation-bell.wav": meditation_bell,
}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, make in SOUNDS.items():
        path = args.out / name
        write_wav(path, to_pcm16(make()))
        print(f"{path}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
