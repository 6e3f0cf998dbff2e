"""What every window and page is handed: services, events, settings, clock, zone."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSettings, QTimeZone

from sanctuary_desktop.domain.zones import is_valid_zone
from sanctuary_desktop.export.paper import PaperSize
from sanctuary_desktop.ui.events import Events
from sanctuary_desktop.ui.service_client import ServiceClient

SETTINGS_VERSION = "v1"
DEFAULT_BACKUPS_KEPT = 20
MIN_BACKUPS_KEPT = 3
MAX_BACKUPS_KEPT = 500  # bump when saved window state would no longer fit


def utc_now() -> datetime:
    return datetime.now(UTC)


SYSTEM_ZONE_FRESH_S = 60.0  # asking takes a few ms and pages ask often; laptops travel
_system_zone: tuple[float, str] | None = None


def system_zone() -> str:
    global _system_zone
    now = time.monotonic()
    if _system_zone is None or now - _system_zone[0] > SYSTEM_ZONE_FRESH_S:
        name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
        _system_zone = (now, name if is_valid_zone(name) else "UTC")
    return _system_zone[1]


@dataclass
class AppContext:
    services: ServiceClient
    events: Events
    settings: QSettings
    data_dir: Path
    log_path: Path | None = None
    clock: Callable[[], datetime] = field(default=utc_now)

    def setting_key(self, key: str) -> str:
        return f"{SETTINGS_VERSION}/{key}"

    @property
    def facilitator_zone(self) -> str:
        value = self.settings.value(self.setting_key("facilitator_zone"), "")
        return value if isinstance(value, str) and is_valid_zone(value) else system_zone()

    def set_facilitator_zone(self, name: str) -> None:
        self.settings.setValue(self.setting_key("facilitator_zone"), name)
        self.settings.sync()

    @property
    def backups_kept(self) -> int:
        """How many automatic backups to keep (the newest ones)."""
        value = self.settings.value(self.setting_key("backups/keep"), DEFAULT_BACKUPS_KEPT)
        try:
            return max(MIN_BACKUPS_KEPT, min(MAX_BACKUPS_KEPT, int(str(value))))
        except ValueError:
            return DEFAULT_BACKUPS_KEPT

    def set_backups_kept(self, count: int) -> None:
        self.settings.setValue(self.setting_key("backups/keep"), count)
        self.settings.sync()

    @property
    def paper(self) -> PaperSize:
        value = self.settings.value(self.setting_key("paper"), "")
        return (
            PaperSize(value)
            if isinstance(value, str) and value in tuple(PaperSize)
            else PaperSize.A4
        )

    def set_paper(self, paper: PaperSize) -> None:
        self.settings.setValue(self.setting_key("paper"), paper.value)
        self.settings.sync()
