"""The self-test checks of the Qt bundle: a window with the app's icons, then the real main window, offscreen."""

from __future__ import annotations

import sys
import time

from klaten_desktop.runtime.paths import resources_dir, use_offscreen_qt
from klaten_desktop.selftest.state import DEMO_OFFICIALS, MAIN_WINDOW_TIMEOUT_S, SelfTestState, Skip


def check_qt(state: SelfTestState) -> str:
    use_offscreen_qt()
    try:
        from PySide6 import __version__ as pyside_version  # noqa: TID251 - the self-test checks the Qt bundle
        from PySide6.QtGui import QGuiApplication, QIcon, QImage  # noqa: TID251
        from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: TID251
    except ImportError as exc:
        raise Skip(f"PySide6 tidak terpasang ({exc})") from exc
    icons = resources_dir() / "icons"
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "klaten-desktop"])
    window = QMainWindow()
    try:
        window.setWindowTitle("Klaten Desktop — uji mandiri")
        icon = QIcon(str(icons / "klaten-desktop-256.png"))
        if icon.isNull():
            raise RuntimeError("ikon aplikasi tidak terbaca")
        window.setWindowIcon(icon)
        window.resize(320, 200)
        window.show()
        app.processEvents()
        shot = window.grab()
        if shot.isNull() or shot.width() != 320:
            raise RuntimeError("jendela tidak dapat digambar")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    ico = QImage(str(icons / "klaten-desktop.ico"))
    if ico.isNull():
        raise RuntimeError("klaten-desktop.ico tidak terbaca (plugin gambar ICO Qt tidak ikut dikemas?)")
    guide = resources_dir() / "help" / "panduan.html"  # Bantuan › Panduan (F1), with its screenshots
    if not guide.is_file() or QImage(str(guide.parent / "screenshots" / "03-beranda.png")).isNull():
        raise RuntimeError(f"panduan {guide} atau gambarnya tidak ikut dikemas")
    return f"PySide6 {pyside_version}, platform {QGuiApplication.platformName()}"


def check_main_window(state: SelfTestState) -> str:
    """The real main window over the self-test database, offscreen; its officials list loads on a worker thread."""
    use_offscreen_qt()
    try:
        from klaten_desktop.gui.application import build_main_window, make_app
        from klaten_desktop.gui.kit import tasks
        from klaten_desktop.gui.officials.store import store_for
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] in ("PySide6", "shiboken6"):
            raise Skip(f"PySide6 tidak terpasang ({exc})") from exc
        raise
    ctx = state.require_ctx()
    app = make_app()
    if state.actor is None:
        raise RuntimeError("belum ada pengguna yang masuk (pemeriksaan akun gagal)")
    window = build_main_window(state.paths, ctx, state.actor)
    store = store_for(ctx)
    try:
        window.show()
        deadline = time.monotonic() + MAIN_WINDOW_TIMEOUT_S
        while store.rows() is None and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        rows = store.rows()
        if rows is None:
            raise RuntimeError(f"daftar pengurus belum termuat setelah {MAIN_WINDOW_TIMEOUT_S} detik")
        if len(rows) != DEMO_OFFICIALS:
            raise RuntimeError(f"{len(rows)} pengurus tampil, seharusnya {DEMO_OFFICIALS}")
        app.processEvents()
        shot = window.grab()
        if shot.isNull():
            raise RuntimeError("jendela utama tidak dapat digambar")
        title = window.windowTitle()
    finally:
        window.close()
        store.wait(MAIN_WINDOW_TIMEOUT_S)
        tasks.wait_all(MAIN_WINDOW_TIMEOUT_S)  # the dashboard's loads too: its database is dropped next on a server
        app.processEvents()
        window.deleteLater()
        app.processEvents()
    return f'"{title}", {len(rows)} pengurus dimuat, {shot.width()}x{shot.height()}'
