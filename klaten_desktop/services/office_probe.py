"""Whether this installation's office is set up, answered without loading the ORM models.

The GUI asks this before its first paint (it decides whether to show the setup wizard), and importing
``db.models`` costs about 100 ms of start-up; the full office record comes from :mod:`services.office` later.
"""

from __future__ import annotations

from klaten_desktop.services.context import ServiceContext


def is_set_up(ctx: ServiceContext) -> bool:
    with ctx.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT 1 FROM office WHERE id = 1").first() is not None
