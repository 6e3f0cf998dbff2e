"""What every dialog that edits one stored record shares: saving, a refused save shown
beside its fields, and Reload when the record changed since the dialog read it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QPushButton

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services.views import ChangedSince
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.widgets import FieldForm


class RecordDialog(QDialog):
    """A subclass makes `form`, `save_button` and `reload_button` (widgets.reload_button),
    and says which record it shows (`record`), how to read it again (`read_again`) and how
    to show it (`fill`). A save goes through `save_with`."""

    saved = Signal(object)  # the view of the record as stored

    ctx: AppContext
    form: FieldForm
    save_button: QPushButton
    reload_button: QPushButton

    def record(self) -> Any | None:
        """The view the dialog was opened with (or reloaded), None for a new record."""
        raise NotImplementedError

    def read_again(self) -> Callable[..., Any]:
        """The service that reads the record by its id."""
        raise NotImplementedError

    def fill(self, view: Any) -> None:
        raise NotImplementedError

    def save_with(self, service: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run the save on the database thread; the dialog closes when it is stored."""
        self.form.clear_errors()
        self.save_button.setEnabled(False)
        self.ctx.services.call(service, *args, then=self._done, failed=self._failed, **kwargs)

    def reload(self) -> None:
        view = self.record()
        if view is None:
            return
        self.reload_button.setEnabled(False)
        self.ctx.services.call(self.read_again(), view.id, then=self._reloaded, failed=self._failed)

    def _reloaded(self, view: Any) -> None:
        self.fill(view)
        self.form.clear_errors()
        self.reload_button.hide()
        self.save_button.setEnabled(True)

    def _done(self, view: Any) -> None:
        self.saved.emit(view)
        self.accept()

    def _failed(self, error: ValidationError) -> None:
        self.form.show_errors(error)
        if isinstance(error, ChangedSince):
            # Saving again would put the older values back: reload first.
            self.reload_button.setEnabled(True)
            self.reload_button.show()
            self.reload_button.setFocus()
            self.adjustSize()
        else:
            self.save_button.setEnabled(True)
