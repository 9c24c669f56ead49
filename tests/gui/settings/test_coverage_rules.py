"""The "Kepesertaan dan surat keterangan" box saves the dated insured-posts rule and the keterangan option."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from klaten_desktop.gui.settings.coverage_rules import CoverageRulesBox
from klaten_desktop.services import coverage_settings
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.letters import options
from tests.conftest import Shown


def test_box_saves_the_dated_rule_and_the_keterangan_option(qtbot: QtBot, ctx: ServiceContext, shown: Shown) -> None:
    box = CoverageRulesBox(ctx, SYSTEM)
    qtbot.addWidget(box)
    box.show()
    assert "Ketua RT dan Ketua RW" in box.current.text() and "Peraturan Bupati Klaten Nomor 9" in box.current.text()
    assert not box.other_posts.isChecked() and not box.inactive.isChecked()
    box.other_posts.setChecked(True)
    box.valid_from.set_value(dt.date(2026, 12, 1))
    box.source.setText("SK Camat 7/2026")
    box.inactive.setChecked(True)
    assert box.save()
    rule = coverage_settings.rule_on(ctx, dt.date(2026, 12, 1))
    assert (rule.other_posts, rule.source, rule.set_by) == (True, "SK Camat 7/2026", SYSTEM.username)
    assert not coverage_settings.rule_on(ctx, dt.date(2026, 11, 30)).other_posts
    assert options.allowed(ctx) is True
    assert shown.info[-1] == "Aturan kepesertaan disimpan."  # type: ignore[attr-defined]
