"""The running installation's folders (and ``--db-url``), recorded by ``build_main_window`` for Pengaturan's tab
"Server basis data" (gui/wizard_server.py, as ``ui_settings.install``). Its own small module: the main window
records them before its first paint without loading the server wizard and its forms."""

from __future__ import annotations

from klaten_desktop.runtime.paths import AppPaths

_installed: AppPaths | None = None


def install(paths: AppPaths) -> None:
    global _installed
    _installed = paths


def installed_paths() -> AppPaths | None:
    return _installed
