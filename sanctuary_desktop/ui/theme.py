"""A calm, readable look: Fusion with a light palette and a few named styles."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#2f6f62"  # deep teal: steady, not alarming
ACCENT_LIGHT = "#e3f0ec"
SIDEBAR = "#f3f1ec"
TEXT_MUTED = "#5f6368"
WARN = "#a15c00"
BAND_GOOD = QColor("#dcefe4")
BAND_EDGE = QColor("#fbe7c6")
BAND_NIGHT = QColor("#e4dfee")

STYLE = f"""
QListWidget#sidebar {{
    background: {SIDEBAR}; border: none; border-right: 1px solid #dedbd3;
    font-size: 11pt; padding-top: 8px; outline: 0;
}}
QListWidget#sidebar::item {{ padding: 10px 16px; border-radius: 6px; margin: 2px 8px; }}
QListWidget#sidebar::item:selected {{ background: {ACCENT_LIGHT}; color: {ACCENT}; }}
QLabel[role="title"] {{ font-size: 17pt; font-weight: 600; }}
QLabel[role="subtitle"] {{ color: {TEXT_MUTED}; font-size: 10.5pt; }}
QLabel[role="section"] {{ font-size: 11.5pt; font-weight: 600; margin-top: 6px; }}
QLabel[role="muted"] {{ color: {TEXT_MUTED}; }}
QLabel[role="warning"] {{ color: {WARN}; }}
QPushButton[role="primary"] {{
    background: {ACCENT}; color: white; border: none; border-radius: 5px;
    padding: 7px 16px; font-weight: 600;
}}
QPushButton[role="primary"]:hover {{ background: #285f54; }}
QPushButton[role="primary"]:disabled {{ background: #9bb8b1; }}
QPushButton[role="secondary"] {{
    background: white; color: {ACCENT}; border: 1px solid {ACCENT}; border-radius: 5px;
    padding: 7px 16px; font-weight: 600;
}}
QPushButton[role="secondary"]:hover {{ background: {ACCENT_LIGHT}; }}
QPushButton[role="big"] {{ font-size: 12pt; padding: 12px 22px; }}
QTableView {{ gridline-color: #e6e3dc; selection-background-color: {ACCENT_LIGHT};
    selection-color: black; }}
QHeaderView::section {{ background: #f7f6f2; border: none; border-bottom: 1px solid #dedbd3;
    padding: 5px 6px; font-weight: 600; }}
QTabWidget::pane {{ border-top: 1px solid #dedbd3; }}
QTabBar::tab {{ padding: 8px 16px; }}
QFrame[role="card"] {{ background: white; border: 1px solid #e2dfd8; border-radius: 8px; }}
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#fbfaf7"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f6f2"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Button, QColor("#f4f2ee"))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor("#fffdf5"))
    app.setPalette(palette)
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    app.setStyleSheet(STYLE)
