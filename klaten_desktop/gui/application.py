"""Start the Qt application: QApplication, crash handling, the database, the main window."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

from klaten_desktop import APP_NAME, __version__
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import office
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError


def run(paths: AppPaths, start_services: Callable[[], ServiceContext]) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    try:
        ctx = start_services()
    except (UserError, EnvironmentProblem) as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    window = QMainWindow()
    data = office.get(ctx)
    window.setWindowTitle(f"{APP_NAME} — {data.name if data else 'belum diatur'}")
    window.setCentralWidget(QLabel("Klaten Desktop"))
    window.resize(1366, 768)
    window.show()
    code = app.exec()
    ctx.dispose()
    return int(code)
