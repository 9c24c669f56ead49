"""The fault suite of issue #19 ("Fault tests in CI"): power cuts, full disks and damaged files, in a few minutes.

Run with the rest (``python scripts/dev.py test``) or alone: ``python scripts/dev.py test -- tests/faults``.
About two minutes on the 2-core CI machine; nothing here is marked slow or skipped for time.

- ``test_kill_registry.py``, ``test_kill_documents.py``, ``test_kill_sync.py``: SIGKILL during imports of desa
  workbooks, payment batches, letters, certificates, sync export and sync import, 40 kills each (240 in all). The
  real command lines run in a grandchild of ``forkserver.py`` (the app is imported once; a fork per run), on a copy
  of an office built once per module. Most kills come at counted events (every SQL statement SQLite starts, every
  commit, every fsync and rename; the hooks live in ``forkserver.py``, never in the app), a run first recording
  them without a kill; the rest after seeded random delays. After each kill: ``PRAGMA integrity_check`` ok, every
  command that returned has its work in the database, no import, batch or package is there in part, every PDF in
  the output folder is in the archive (its SHA-256) and so its numbers in the register, every package file is
  recorded as sent.
- ``test_disk_full.py``: six commands at 18 sizes of free space each (a tmpfs as root, else RLIMIT_FSIZE): a true
  full-disk message, no traceback, the database unchanged, nothing left behind.
- ``test_damaged_database.py``: 28 damaged, foreign and empty files made from an office (in-process; runs on
  Windows too): ``check`` and the start find them, say what to do and change nothing; ``check --repair`` mends
  index damage.

SIGKILL, fork, tmpfs and RLIMIT_FSIZE are POSIX: those modules skip on Windows (``harness.WINDOWS_REASON``).
"""
