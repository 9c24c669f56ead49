"""One window per data folder: the folder's lock (``runtime/instance.py``) plus a local socket through which a
second start asks the first window to come forward, then ends."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from klaten_desktop.gui.kit import messages
from klaten_desktop.runtime.instance import InstanceLock, server_name
from klaten_desktop.runtime.paths import AppPaths

ALREADY_OPEN = (
    "Klaten Desktop sudah terbuka untuk folder data ini; jendelanya dibawa ke depan. "
    "Satu folder data hanya boleh dipakai oleh satu jendela."
)
WAIT_MS = 1500


class Instance(QObject):
    """The first (and only) instance on a data folder: it holds the lock and listens for later starts."""

    bring_forward = Signal()

    def __init__(self, lock: InstanceLock, name: str) -> None:
        super().__init__()
        self._lock = lock
        self._server = QLocalServer(self)
        QLocalServer.removeServer(name)  # a socket left by a crashed run (Unix) must not block listening
        self._server.listen(name)
        self._server.newConnection.connect(self._on_connection)

    def _on_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.disconnected.connect(socket.deleteLater)
            socket.disconnectFromServer()
            self.bring_forward.emit()

    def release(self) -> None:
        self._server.close()
        self._lock.release()


def ask_first_forward(name: str) -> bool:
    """Ask the running instance to come forward; False when it does not answer."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    answered = socket.waitForConnected(WAIT_MS)
    socket.disconnectFromServer()
    return answered


def claim(data_dir: Path) -> Instance | None:
    """This process's claim on ``data_dir``; None when another window holds it (it was asked to come forward and
    the user was told) or when the folder cannot be used (the user was told why)."""
    from klaten_desktop.services.bootstrap import data_folder_message

    lock = InstanceLock(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        held = lock.acquire()
    except OSError as exc:
        messages.error(None, data_folder_message(AppPaths(data_dir), exc))
        return None
    name = server_name(data_dir)
    if not held:
        ask_first_forward(name)
        messages.info(None, ALREADY_OPEN)
        return None
    return Instance(lock, name)
