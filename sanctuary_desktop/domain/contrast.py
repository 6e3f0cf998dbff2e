"""WCAG 2 contrast between two colours, with no toolkit: the app's theme and its timer
measure their text against their backgrounds with it."""

from __future__ import annotations


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(red: float, green: float, blue: float) -> float:
    """WCAG relative luminance of an sRGB colour whose channels run from 0 to 1."""
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio_rgb(one: tuple[float, float, float], other: tuple[float, float, float]) -> float:
    """WCAG 2 contrast ratio between two opaque colours (1 to 21)."""
    high, low = sorted((relative_luminance(*one), relative_luminance(*other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def parse_hex(value: str) -> tuple[float, float, float]:
    """``#rrggbb`` (or ``#rgb``) as three channels from 0 to 1."""
    digits = value.removeprefix("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    if len(digits) != 6:
        raise ValueError(f"not a #rrggbb colour: {value!r}")
    return (
        int(digits[0:2], 16) / 255,
        int(digits[2:4], 16) / 255,
        int(digits[4:6], 16) / 255,
    )


def contrast_ratio_hex(one: str, other: str) -> float:
    """WCAG 2 contrast ratio between two ``#rrggbb`` colours."""
    return contrast_ratio_rgb(parse_hex(one), parse_hex(other))
