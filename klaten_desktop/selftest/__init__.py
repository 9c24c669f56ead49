"""``klaten-desktop --self-test``: the real start-up path, headless, in a scratch data folder.

Used on every build (``scripts/build.py`` runs it in the frozen bundle) and by an office technician who wants to
know whether an installation works. Each check is a plain function over a :class:`SelfTestState`; it returns a
short detail for the report or raises. The report prints ``OK <nama>``, ``GAGAL <nama>: <sebab>`` or
``LEWATI <nama>: <sebab>`` per check; the exit code is 0 only if no check failed.

The self-test never touches an office's real data: it works in a new temporary folder, or in ``--data-dir`` only
when that folder is empty or does not exist yet.

The package sits above ``gui`` and ``cli`` in the layers (it drives the real main window) and below ``app``,
which only hands ``--self-test`` over to :func:`klaten_desktop.selftest.runner.run_self_test`:

- ``state``: the state the checks share and the names the report uses;
- ``checks``: folders, log, migrations, office and demo data, letters, Excel, sync;
- ``qt_checks``: the Qt bundle and the main window, offscreen;
- ``runner``: the order of the checks, the report and the scratch folder.
"""
