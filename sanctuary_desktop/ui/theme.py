"""A calm, readable look that follows the system's light or dark scheme.

Every colour the app uses is a *role* with a light and a dark value (``Colors``). The
theme applies a full QPalette and a style sheet made from the roles for the scheme in
force, and applies them again when the system's scheme changes. Code that paints or
builds rich text asks a role for its colour *now* (``Colors.WARNING.color()``,
``Colors.WARNING.css()``), so it is right in both schemes; nothing keeps a colour
computed at import time.

Pairs are complete: wherever a background is set, its text is set too.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from sanctuary_desktop.domain.contrast import contrast_ratio_hex

__all__ = [
    "Colors",
    "Pair",
    "ThemeFollower",
    "apply_theme",
    "build_palette",
    "cohort_colors",
    "is_dark",
    "style_sheet",
]


@dataclass(frozen=True)
class Pair:
    """One colour role: its value in the light scheme and in the dark one."""

    light: str
    dark: str

    def name(self, *, dark: bool | None = None) -> str:
        """The role's ``#rrggbb`` for the scheme in force (or the one asked for)."""
        return self.dark if (is_dark() if dark is None else dark) else self.light

    def css(self) -> str:
        """The colour for a style sheet or rich text, in the scheme in force."""
        return self.name()

    def color(self, *, dark: bool | None = None) -> QColor:
        return QColor(self.name(dark=dark))


class Colors:
    """Every colour role of the app (light, dark)."""

    # The window and its text
    WINDOW = Pair("#fbfaf7", "#1b1e1d")
    WINDOW_TEXT = Pair("#202124", "#e8e6e1")
    # Fields, lists and tables, and their text
    BASE = Pair("#ffffff", "#232726")
    ALTERNATE_BASE = Pair("#f7f6f2", "#2a2e2d")
    TEXT = Pair("#202124", "#e8e6e1")
    MUTED_TEXT = Pair("#5f6368", "#a8aeab")
    DIM_TEXT = Pair("#8a8882", "#7f8481")  # days outside the month: present, not read
    PLACEHOLDER = Pair("#6f7378", "#8f9592")
    BUTTON = Pair("#f4f2ee", "#2e3331")
    BUTTON_HOVER = Pair("#ebe8e1", "#373c3a")
    BUTTON_TEXT = Pair("#202124", "#e8e6e1")
    BORDER = Pair("#dedbd3", "#3b403e")
    CONTROL_BORDER = Pair("#cfcac0", "#4a504d")
    GRID = Pair("#e6e3dc", "#353a38")
    HEADER = Pair("#f7f6f2", "#2a2e2d")
    HEADER_TEXT = Pair("#202124", "#e8e6e1")
    SIDEBAR = Pair("#f3f1ec", "#202423")
    SIDEBAR_TEXT = Pair("#202124", "#e8e6e1")
    CARD = Pair("#ffffff", "#232726")
    CARD_BORDER = Pair("#e2dfd8", "#3b403e")
    TOOLTIP = Pair("#fffdf5", "#2e3331")
    TOOLTIP_TEXT = Pair("#202124", "#e8e6e1")
    DIVIDER = Pair("#eeebe5", "#333836")
    HOVER = Pair("#f7f6f2", "#2a2e2d")
    # The accent: deep teal, steady, not alarming; lifted on a dark background
    ACCENT = Pair("#2f6f62", "#7fcab7")  # as text or lines on WINDOW/BASE
    ACCENT_FILL = Pair("#2f6f62", "#2f6f62")  # a filled button, a selection
    ACCENT_FILL_HOVER = Pair("#285f54", "#3a8171")
    ACCENT_FILL_DISABLED = Pair("#9bb8b1", "#35524b")
    ON_ACCENT = Pair("#ffffff", "#ffffff")  # text on ACCENT_FILL
    ON_ACCENT_DISABLED = Pair("#ffffff", "#a8b8b3")
    ACCENT_SOFT = Pair("#e3f0ec", "#22403a")  # a quiet selection, the current row
    ON_ACCENT_SOFT = Pair("#1f4a41", "#d5efe7")
    LINK = Pair("#2f6f62", "#7fcab7")
    # Meaning
    WARNING = Pair("#a15c00", "#f0b35a")
    ERROR = Pair("#b3261e", "#ff8f85")
    SUCCESS = Pair("#2f6f62", "#7fcab7")
    # The time-zone planner's bands (backgrounds) and their text
    BAND_GOOD = Pair("#dcefe4", "#1f3b2d")
    BAND_EDGE = Pair("#fbe7c6", "#4a3917")
    BAND_NIGHT = Pair("#e4dfee", "#2e2a42")
    BAND_TEXT = Pair("#202124", "#e8e6e1")
    SWATCH_BORDER = Pair("#b9b5ab", "#5b615e")
    # The calendar
    CAL_GRID = Pair("#e4e1da", "#353a38")
    CAL_OUTSIDE = Pair("#f6f5f1", "#1e2120")
    CAL_WEEKEND = Pair("#fcfbf8", "#202423")
    CAL_TODAY = Pair("#f3f9f7", "#1d3531")
    CAL_CHIP_TEXT = Pair("#1f2b28", "#e8e6e1")
    CAL_CANCELLED = Pair("#9a9994", "#7d807e")
    CAL_CANCELLED_TINT = Pair("#f0efeb", "#2a2d2c")
    CAL_CANCELLED_TEXT = Pair("#6b6a65", "#a3a6a4")
    ON_COHORT = Pair("#ffffff", "#141817")  # a selected chip's text, on its cohort's colour
    # Search: a hit's highlight, note kinds
    SEARCH_HIT = Pair("#e3f0ec", "#22403a")
    SEARCH_HIT_TEXT = Pair("#1f4a41", "#d5efe7")
    NOTE_NOTE = Pair("#5f6368", "#a8aeab")
    NOTE_INSIGHT = Pair("#3d5f8f", "#9dbbe6")
    NOTE_QUOTE = Pair("#74507a", "#d6acdc")
    NOTE_ACTION = Pair("#855c0a", "#e5bd66")
    # Roster intake
    STATUS_APPLIED = Pair("#7a5b00", "#e6c35c")
    STATUS_INTERVIEWED = Pair("#2f5f8a", "#93bde6")
    # The live record's bars
    PLANNED_BAR = Pair("#cfd8d5", "#46524e")
    # The live timer's levels: the same meaning in both schemes (calm is quiet, each step
    # warmer and easier to notice). Their dark values are also the shared display's.
    TIMER_CALM = Pair("#2f6f62", "#f2f1ec")
    TIMER_WARNING = Pair("#a15c00", "#ffc145")
    TIMER_URGENT = Pair("#c2410c", "#ff8a3d")
    TIMER_OVERTIME = Pair("#b3261e", "#ff5449")
    # Paused is not a level: one cool colour, so a stopped clock never reads as running.
    TIMER_PAUSED = Pair("#4a5a70", "#9db4d0")
    PAUSED_BADGE = Pair("#3b4a5e", "#3b4a5e")
    ON_PAUSED_BADGE = Pair("#ffffff", "#ffffff")
    # The shared display is projected: dark in both schemes, on purpose (a dark screen
    # lights a room least and keeps the digits the brightest thing in it).
    DISPLAY_BACKGROUND = Pair("#0f1413", "#0f1413")
    DISPLAY_TEXT = Pair("#ecebe6", "#ecebe6")
    DISPLAY_HIGHLIGHT = Pair("#8fd3c1", "#8fd3c1")  # the app's teal, lifted
    DISPLAY_CUE_TEXT = Pair("#c9cecb", "#c9cecb")
    DISPLAY_FLASH = Pair("#ffffff", "#ffffff")  # a brief wash of light, 60% opaque


# Cohorts keep one hue each in both schemes: (strong, tint) — strong for lines, dots and
# the time in a chip; tint behind a chip's text (CAL_CHIP_TEXT).
_COHORT_HUES: tuple[tuple[Pair, Pair], ...] = (
    (Pair("#2f6f62", "#7fcab7"), Pair("#e0efe9", "#1f3a34")),  # teal
    (Pair("#3d5f8f", "#8fb0e0"), Pair("#e2eaf5", "#222f44")),  # slate blue
    (Pair("#8a600c", "#e0b455"), Pair("#f6edd8", "#3b3119")),  # ochre
    (Pair("#74507a", "#cfa3d6"), Pair("#efe5f0", "#36283a")),  # plum
    (Pair("#4f6c27", "#a9cc78"), Pair("#e8f0dc", "#2a3520")),  # moss
    (Pair("#a0503a", "#ec9f86"), Pair("#f7e5de", "#40271f")),  # terracotta
    (Pair("#5650a0", "#aaa5ea"), Pair("#e7e6f6", "#2c2a48")),  # indigo
    (Pair("#466670", "#95bcc7"), Pair("#e1eaec", "#23322f")),  # steel
)


def cohort_colors(cohort_id: int, *, dark: bool | None = None) -> tuple[QColor, QColor]:
    """A cohort's (strong, tint) colours, in the scheme in force: stable across runs,
    different for neighbouring ids."""
    strong, tint = _COHORT_HUES[(cohort_id * 5) % len(_COHORT_HUES)]
    return strong.color(dark=dark), tint.color(dark=dark)


def cohort_hue_count() -> int:
    return len(_COHORT_HUES)


# Pairs of (text, background) roles the app shows together: a test measures each in both
# schemes (WCAG 4.5:1 for text, 3:1 for DIM_TEXT and PLACEHOLDER, which are not read).
TEXT_ON_BACKGROUND: tuple[tuple[str, str, float], ...] = (
    ("WINDOW_TEXT", "WINDOW", 4.5),
    ("TEXT", "BASE", 4.5),
    ("TEXT", "ALTERNATE_BASE", 4.5),
    ("MUTED_TEXT", "BASE", 4.5),
    ("MUTED_TEXT", "WINDOW", 4.5),
    ("BUTTON_TEXT", "BUTTON", 4.5),
    ("HEADER_TEXT", "HEADER", 4.5),
    ("SIDEBAR_TEXT", "SIDEBAR", 4.5),
    ("TOOLTIP_TEXT", "TOOLTIP", 4.5),
    ("ACCENT", "WINDOW", 4.5),
    ("ACCENT", "BASE", 4.5),
    ("ACCENT", "SIDEBAR", 4.5),
    ("ON_ACCENT", "ACCENT_FILL", 4.5),
    ("ON_ACCENT", "ACCENT_FILL_HOVER", 4.5),
    ("ON_ACCENT_SOFT", "ACCENT_SOFT", 4.5),
    ("ACCENT", "ACCENT_SOFT", 4.5),
    ("LINK", "BASE", 4.5),
    ("WARNING", "WINDOW", 4.5),
    ("WARNING", "BASE", 4.5),
    ("ERROR", "WINDOW", 4.5),
    ("ERROR", "BASE", 4.5),
    ("SUCCESS", "BASE", 4.5),
    ("BAND_TEXT", "BAND_GOOD", 4.5),
    ("BAND_TEXT", "BAND_EDGE", 4.5),
    ("BAND_TEXT", "BAND_NIGHT", 4.5),
    ("CAL_CHIP_TEXT", "BASE", 4.5),
    ("CAL_CANCELLED_TEXT", "CAL_CANCELLED_TINT", 4.5),
    ("MUTED_TEXT", "CAL_OUTSIDE", 4.5),
    ("TEXT", "CAL_TODAY", 4.5),
    ("TEXT", "CAL_WEEKEND", 4.5),
    ("SEARCH_HIT_TEXT", "SEARCH_HIT", 4.5),
    ("NOTE_NOTE", "BASE", 4.5),
    ("NOTE_INSIGHT", "BASE", 4.5),
    ("NOTE_QUOTE", "BASE", 4.5),
    ("NOTE_ACTION", "BASE", 4.5),
    ("STATUS_APPLIED", "BASE", 4.5),
    ("STATUS_INTERVIEWED", "BASE", 4.5),
    ("TIMER_CALM", "WINDOW", 4.5),
    ("TIMER_WARNING", "WINDOW", 4.5),
    ("TIMER_URGENT", "WINDOW", 4.5),
    ("TIMER_OVERTIME", "WINDOW", 4.5),
    ("TIMER_PAUSED", "WINDOW", 4.5),
    ("ON_PAUSED_BADGE", "PAUSED_BADGE", 4.5),
    ("DISPLAY_TEXT", "DISPLAY_BACKGROUND", 4.5),
    ("DISPLAY_HIGHLIGHT", "DISPLAY_BACKGROUND", 4.5),
    ("DISPLAY_CUE_TEXT", "DISPLAY_BACKGROUND", 4.5),
    ("DIM_TEXT", "CAL_OUTSIDE", 3.0),
    ("PLACEHOLDER", "BASE", 3.0),
)


def role(name: str) -> Pair:
    value = getattr(Colors, name)
    assert isinstance(value, Pair)
    return value


def all_roles() -> dict[str, Pair]:
    return {name: value for name, value in vars(Colors).items() if isinstance(value, Pair)}


def contrast(text: Pair, background: Pair, *, dark: bool) -> float:
    return contrast_ratio_hex(text.name(dark=dark), background.name(dark=dark))


# -- names kept for code that has not moved to roles yet: the LIGHT values only ---------
# (They cannot follow the scheme: `from theme import WARN` copies a string at import.)
ACCENT = Colors.ACCENT.light
ACCENT_LIGHT = Colors.ACCENT_SOFT.light
SIDEBAR = Colors.SIDEBAR.light
TEXT_MUTED = Colors.MUTED_TEXT.light
WARN = Colors.WARNING.light
BAND_GOOD = QColor(Colors.BAND_GOOD.light)
BAND_EDGE = QColor(Colors.BAND_EDGE.light)
BAND_NIGHT = QColor(Colors.BAND_NIGHT.light)


# -- colours given as light values, shown in the scheme in force -------------------------

# Roles a light value stands for when it is used as text, and when it is a background.
_AS_TEXT = (
    "ACCENT",
    "MUTED_TEXT",
    "WARNING",
    "ERROR",
    "TEXT",
    "STATUS_APPLIED",
    "STATUS_INTERVIEWED",
    "NOTE_INSIGHT",
    "NOTE_QUOTE",
    "NOTE_ACTION",
)
_AS_BACKGROUND = (
    "ACCENT_SOFT",
    "BAND_GOOD",
    "BAND_EDGE",
    "BAND_NIGHT",
    "BASE",
    "ALTERNATE_BASE",
    "CAL_CANCELLED_TINT",
)


def _by_light(names: tuple[str, ...]) -> dict[str, Pair]:
    found: dict[str, Pair] = {}
    for name in names:
        pair = role(name)
        found.setdefault(pair.light.lower(), pair)
    return found


_TEXT_BY_LIGHT = _by_light(_AS_TEXT)
_BACKGROUND_BY_LIGHT = _by_light(_AS_BACKGROUND)


def for_scheme(color: QColor, *, background: bool = False) -> QColor:
    """A colour given by its light-scheme value (as older code does), in the scheme in
    force: the light value of a role becomes that role's value now; others are kept."""
    if not is_dark():
        return QColor(color)
    table = _BACKGROUND_BY_LIGHT if background else _TEXT_BY_LIGHT
    pair = table.get(color.name().lower())
    return pair.color(dark=True) if pair is not None else QColor(color)


def text_for_background(background: QColor, wanted: QColor | None = None) -> QColor:
    """Text for ``background``: ``wanted`` (in the scheme in force) when it reads there at
    4.5:1, else whichever of the two schemes' TEXT reads better on it."""
    name = background.name()
    if wanted is not None:
        shown = for_scheme(wanted)
        if contrast_ratio_hex(shown.name(), name) >= 4.5:
            return shown
        if contrast_ratio_hex(wanted.name(), name) >= 4.5:
            return QColor(wanted)
    light, dark = Colors.TEXT.light, Colors.TEXT.dark
    best = max((light, dark), key=lambda text: contrast_ratio_hex(text, name))
    return QColor(best)


def set_role(widget: QWidget, name: str) -> None:
    """Give a widget a named look from the style sheet ("error", "warning", "muted",
    "accent"; "" for none): the style sheet gives it the colour of the scheme in force,
    and gives it again when the scheme changes."""
    if widget.property("role") == name:
        return
    widget.setProperty("role", name)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


# -- the scheme in force -------------------------------------------------------------------

_dark = False


def is_dark() -> bool:
    """Whether the dark scheme is the one applied (light until a theme is applied)."""
    return _dark


def scheme_is_dark(scheme: Qt.ColorScheme) -> bool:
    return scheme == Qt.ColorScheme.Dark


def palette_is_dark(palette: QPalette) -> bool:
    """Whether a palette's window is darker than its text (a dark look)."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightnessF() < text.lightnessF()


def build_palette(*, dark: bool) -> QPalette:
    """A complete palette: every role a widget draws with, for both colour groups."""
    c = Colors
    R = QPalette.ColorRole
    values: dict[QPalette.ColorRole, Pair] = {
        R.Window: c.WINDOW,
        R.WindowText: c.WINDOW_TEXT,
        R.Base: c.BASE,
        R.AlternateBase: c.ALTERNATE_BASE,
        R.Text: c.TEXT,
        R.PlaceholderText: c.PLACEHOLDER,
        R.Button: c.BUTTON,
        R.ButtonText: c.BUTTON_TEXT,
        R.BrightText: c.ERROR,
        R.ToolTipBase: c.TOOLTIP,
        R.ToolTipText: c.TOOLTIP_TEXT,
        R.Highlight: c.ACCENT_FILL,
        R.HighlightedText: c.ON_ACCENT,
        R.Link: c.LINK,
        R.LinkVisited: c.LINK,
        R.Light: Pair("#ffffff", "#3b403e"),
        R.Midlight: Pair("#ebe8e1", "#323735"),
        R.Mid: Pair("#cfcac0", "#4a504d"),
        R.Dark: Pair("#a09c93", "#151817"),
        R.Shadow: Pair("#6b6860", "#000000"),
        R.Accent: c.ACCENT_FILL,
    }
    palette = QPalette()
    for color_role, pair in values.items():
        palette.setColor(color_role, pair.color(dark=dark))
    disabled = QPalette.ColorGroup.Disabled
    faded = Pair("#9a9893", "#6c716e").color(dark=dark)
    for color_role in (R.WindowText, R.Text, R.ButtonText, R.PlaceholderText):
        palette.setColor(disabled, color_role, faded)
    palette.setColor(disabled, R.Base, c.WINDOW.color(dark=dark))
    palette.setColor(disabled, R.Button, c.WINDOW.color(dark=dark))
    palette.setColor(disabled, R.Highlight, c.ACCENT_FILL_DISABLED.color(dark=dark))
    palette.setColor(disabled, R.HighlightedText, c.ON_ACCENT_DISABLED.color(dark=dark))
    return palette


def style_sheet(*, dark: bool) -> str:
    """The app's style sheet for one scheme: every background with its text."""

    def v(pair: Pair) -> str:
        return pair.name(dark=dark)

    c = Colors
    return f"""
QListWidget#sidebar {{
    background: {v(c.SIDEBAR)}; color: {v(c.SIDEBAR_TEXT)}; border: none;
    border-right: 1px solid {v(c.BORDER)}; font-size: 11pt; padding-top: 8px; outline: 0;
}}
QListWidget#sidebar::item {{ padding: 10px 16px; border-radius: 6px; margin: 2px 8px; }}
QListWidget#sidebar::item:selected {{
    background: {v(c.ACCENT_SOFT)}; color: {v(c.ON_ACCENT_SOFT)};
}}
QLabel[role="title"] {{ font-size: 17pt; font-weight: 600; }}
QLabel[role="subtitle"] {{ color: {v(c.MUTED_TEXT)}; font-size: 10.5pt; }}
QLabel[role="section"] {{ font-size: 11.5pt; font-weight: 600; margin-top: 6px; }}
QLabel[role="muted"] {{ color: {v(c.MUTED_TEXT)}; }}
QLabel[role="warning"] {{ color: {v(c.WARNING)}; }}
QLabel[role="error"] {{ color: {v(c.ERROR)}; }}
QLabel[role="accent"] {{ color: {v(c.ACCENT)}; }}
QGroupBox[role="warning"]::title {{ color: {v(c.WARNING)}; }}
QPushButton[role="primary"] {{
    background: {v(c.ACCENT_FILL)}; color: {v(c.ON_ACCENT)}; border: none;
    border-radius: 5px; padding: 7px 16px; font-weight: 600;
}}
QPushButton[role="primary"]:hover {{
    background: {v(c.ACCENT_FILL_HOVER)}; color: {v(c.ON_ACCENT)};
}}
QPushButton[role="primary"]:disabled {{
    background: {v(c.ACCENT_FILL_DISABLED)}; color: {v(c.ON_ACCENT_DISABLED)};
}}
QPushButton[role="secondary"] {{
    background: {v(c.BASE)}; color: {v(c.ACCENT)}; border: 1px solid {v(c.ACCENT)};
    border-radius: 5px; padding: 7px 16px; font-weight: 600;
}}
QPushButton[role="secondary"]:hover {{ background: {v(c.ACCENT_SOFT)}; color: {v(c.ACCENT)}; }}
QPushButton[role="big"] {{ font-size: 12pt; padding: 12px 22px; }}
QTableView {{
    gridline-color: {v(c.GRID)}; selection-background-color: {v(c.ACCENT_SOFT)};
    selection-color: {v(c.ON_ACCENT_SOFT)};
}}
QHeaderView::section {{
    background: {v(c.HEADER)}; color: {v(c.HEADER_TEXT)}; border: none;
    border-bottom: 1px solid {v(c.BORDER)}; padding: 5px 6px; font-weight: 600;
}}
QTabWidget::pane {{ border-top: 1px solid {v(c.BORDER)}; }}
QTabBar::tab {{ padding: 8px 16px; }}
QFrame[role="card"] {{
    background: {v(c.CARD)}; color: {v(c.TEXT)}; border: 1px solid {v(c.CARD_BORDER)};
    border-radius: 8px;
}}
QFrame#calendarFrame {{
    border: 1px solid {v(c.BORDER)}; border-radius: 6px; background: {v(c.BASE)};
    color: {v(c.TEXT)};
}}
QWidget#calendarSegments QPushButton {{
    border: 1px solid {v(c.CONTROL_BORDER)}; background: {v(c.BUTTON)};
    color: {v(c.BUTTON_TEXT)}; padding: 5px 16px; min-width: 52px;
}}
QWidget#calendarSegments QPushButton:hover {{
    background: {v(c.BUTTON_HOVER)}; color: {v(c.BUTTON_TEXT)};
}}
QWidget#calendarSegments QPushButton:checked {{
    background: {v(c.ACCENT_FILL)}; border-color: {v(c.ACCENT_FILL)}; color: {v(c.ON_ACCENT)};
}}
QWidget#calendarSegments QPushButton:focus {{ border-color: {v(c.ACCENT)}; }}
QWidget#calendarSegments QPushButton#segmentFirst {{
    border-top-left-radius: 5px; border-bottom-left-radius: 5px; border-right: none;
}}
QWidget#calendarSegments QPushButton#segmentLast {{
    border-top-right-radius: 5px; border-bottom-right-radius: 5px;
}}
QFrame[role="outlined"] {{ border: 1px solid {v(c.BORDER)}; border-radius: 6px; }}
QLabel[role="swatch"] {{ border: 1px solid {v(c.SWATCH_BORDER)}; border-radius: 3px; }}
QLabel[role="swatch"][band="good"] {{ background: {v(c.BAND_GOOD)}; color: {v(c.BAND_TEXT)}; }}
QLabel[role="swatch"][band="edge"] {{ background: {v(c.BAND_EDGE)}; color: {v(c.BAND_TEXT)}; }}
QLabel[role="swatch"][band="night"] {{ background: {v(c.BAND_NIGHT)}; color: {v(c.BAND_TEXT)}; }}
QTableView#plannerGrid::item:selected {{
    border-top: 2px solid {v(c.ACCENT)}; border-bottom: 2px solid {v(c.ACCENT)};
    color: {v(c.BAND_TEXT)};
}}
"""


class ThemeFollower(QObject):
    """Applies the theme, and again whenever the system's colour scheme changes."""

    changed = Signal(bool)  # dark

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._scheme_changed)

    def _scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        self.apply(dark=scheme_is_dark(scheme))

    def apply(self, *, dark: bool) -> None:
        global _dark
        _dark = dark
        app = self._app
        app.setPalette(build_palette(dark=dark))
        app.setStyleSheet(style_sheet(dark=dark))
        self.changed.emit(dark)


_follower: ThemeFollower | None = None


def follower() -> ThemeFollower | None:
    """The object that applies the theme (None before ``apply_theme``)."""
    return _follower


def apply_theme(app: QApplication, *, scheme: Qt.ColorScheme | None = None) -> None:
    """Fusion, the palette and style sheet for the system's scheme (or ``scheme``), and
    from now on follow the system when its scheme changes."""
    global _follower
    platform_palette = app.palette()  # the platform's, the first time: before ours
    app.setStyle("Fusion")
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    first = _follower is None or _follower.parent() is not app
    if first:
        _follower = ThemeFollower(app)
    assert _follower is not None
    if scheme is None:
        scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Unknown and first:
        # A platform that names no scheme may still hand over a dark palette: read it
        # once, before ours replaces it.
        dark = palette_is_dark(platform_palette)
    else:
        dark = scheme_is_dark(scheme)
    _follower.apply(dark=dark)
