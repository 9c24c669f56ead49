"""Replays, gaps, reordering, cloned PCs and replaced PCs."""

from __future__ import annotations

import dataclasses
import itertools
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from klaten_desktop.app import open_context
from klaten_desktop.db.models import Official
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import enrollment, officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import conflicts, keys, status
from klaten_desktop.services.sync.package import PackageRejected
from tests.sync.conftest import PRAMBANAN, Offices, exchange_keys, new_kecamatan, snapshot


def _serving_ids(ctx: ServiceContext, n: int, *, offset: int = 0) -> list[str]:
    with ctx.read() as session:
        return [
            str(i)
            for i in session.scalars(
                select(Official.id)
                .where(Official.deleted_at.is_(None), Official.term_status == "menjabat")
                .order_by(Official.nik)
                .offset(offset)
                .limit(n)
            )
        ]


def _edit(ctx: ServiceContext, official_id: str, **changes: object) -> None:
    detail = officials.get(ctx, official_id)
    fields = dataclasses.replace(officials.fields_of(detail), **changes)
    officials.update_official(ctx, SYSTEM, official_id, fields, expected_version=detail.row_version)


def _history_of_changes(offices: Offices) -> list[Path]:
    """Four packages from Prambanan with edits, a replacement, an enrollment and deletions in between,
    plus one from Wedi."""
    p = offices.prambanan
    paths = [offices.send(p, "p1.klsync")]
    a, b, c, d = _serving_ids(p, 4)
    _edit(p, a, telepon="081111111111")
    officials.delete(p, SYSTEM, b)
    paths.append(offices.send(p, "p2.klsync"))
    _edit(p, a, alamat="Dukuh Kedua")
    detail = officials.get(p, c)
    new_holder = dataclasses.replace(
        officials.fields_of(detail), nik=detail.nik[:12] + "9999", nama="Pengganti Contoh", telepon=None
    )
    officials.replace(p, SYSTEM, c, on=p.today(), new=new_holder)
    paths.append(offices.send(p, "p3.klsync"))
    if officials.get(p, d).enrollment is None:
        enrollment.submit(p, SYSTEM, [d], on=p.today())
    officials.delete(p, SYSTEM, a)
    paths.append(offices.send(p, "p4.klsync"))
    paths.append(offices.send(offices.wedi, "w1.klsync"))
    return paths


def test_skipped_package_is_reported_and_filled_later(offices: Offices) -> None:
    paths = _history_of_changes(offices)
    offices.receive(paths[0])
    late = offices.receive(paths[2])
    assert late.gaps == (2,)
    assert any("Paket nomor 2" in w for w in late.warnings)
    console = status.console(offices.regency)
    assert console.as_json()["sequence_gaps"] == {PRAMBANAN: [2]}
    offices.receive(paths[3])
    filled = offices.receive(paths[1])
    assert filled.gaps == ()
    assert status.console(offices.regency).as_json()["sequence_gaps"] == {}
    assert snapshot(offices.regency, office_code=PRAMBANAN) == snapshot(offices.prambanan)
    assert conflicts.pending(offices.regency) == []


def test_full_export_covers_a_lost_package(offices: Offices) -> None:
    offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    a = _serving_ids(offices.prambanan, 1)[0]
    _edit(offices.prambanan, a, telepon="082222222222")
    offices.send(offices.prambanan, "p2-lost.klsync").unlink()  # the stick is lost
    result = offices.receive(offices.send(offices.prambanan, "p3-full.klsync", full=True))
    assert result.gaps == ()
    assert result.tables["official"].updated == 1
    assert snapshot(offices.regency, office_code=PRAMBANAN) == snapshot(offices.prambanan)


def _fresh_regency(offices: Offices, name: str) -> ServiceContext:
    regency = offices.make_ctx("kabupaten", name=name)
    for kec in (offices.prambanan, offices.wedi):
        exchange_keys(kec, regency, offices.folder / name)
    return regency


def _state(ctx: ServiceContext) -> tuple[dict[str, set[tuple[object, ...]]], set[tuple[object, ...]]]:
    return snapshot(ctx), {(c.table_name, c.row_id, c.proposed_version) for c in conflicts.list_conflicts(ctx)}


@pytest.mark.slow
def test_packages_in_any_order_give_the_same_database(offices: Offices) -> None:
    paths = _history_of_changes(offices)
    for path in paths:
        offices.receive(path)
    expected = _state(offices.regency)
    assert expected[0]["official"] == snapshot(offices.prambanan)["official"] | snapshot(offices.wedi)["official"]
    counter = itertools.count()

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.permutations(range(len(paths))))
    def check(order: list[int]) -> None:
        regency = _fresh_regency(offices, f"order{next(counter)}")
        for i in order:
            offices.receive(paths[i], regency)
        assert _state(regency) == expected
        assert conflicts.pending(regency) == []

    check()


def test_two_installations_claiming_one_office_are_reported(offices: Offices) -> None:
    offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    second = new_kecamatan(offices.make_ctx, "prambanan-pc-baru", PRAMBANAN, "Kecamatan Prambanan")
    exchange_keys(second, offices.regency, offices.folder / "baru")
    path = offices.send(second, "baru-1.klsync")
    before = snapshot(offices.regency)
    with pytest.raises(PackageRejected, match="sudah mengirim paket dari instalasi lain"):
        offices.receive(path)
    assert snapshot(offices.regency) == before
    accepted = offices.receive(path, new_install=True)
    assert any("menggantikan" in w for w in accepted.warnings)
    assert PRAMBANAN in status.console(offices.regency).as_json()["multiple_installs"]
    with pytest.raises(PackageRejected, match="sudah diganti"):
        offices.receive(offices.send(offices.prambanan, "p2-old-pc.klsync"))


def test_cloned_pc_sending_different_packages_is_reported(offices: Offices, tmp_path: Path) -> None:
    if offices.prambanan.on_server:
        pytest.skip("clones the kecamatan's SQLite file (a PC copied whole); a server database is not cloned so")
    offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    clone_paths = AppPaths(tmp_path / "clone")
    clone_paths.database.parent.mkdir(parents=True)
    assert offices.prambanan.database is not None
    src, dst = sqlite3.connect(offices.prambanan.database), sqlite3.connect(clone_paths.database)
    src.backup(dst)
    src.close()
    dst.close()
    clone = open_context(clone_paths, clock=offices.prambanan.clock)
    try:
        a, b = _serving_ids(offices.prambanan, 2)
        _edit(offices.prambanan, a, telepon="081300000001")
        _edit(clone, b, telepon="081300000002")
        offices.receive(offices.send(offices.prambanan, "p2.klsync"))
        before = snapshot(offices.regency)
        with pytest.raises(PackageRejected, match="klon"):
            offices.receive(offices.send(clone, "p2-clone.klsync"))
        assert snapshot(offices.regency) == before
    finally:
        clone.dispose()


def test_identity_file_shows_fingerprint_and_a_new_regency_key_replaces_the_old(offices: Offices) -> None:
    path = offices.folder / "kabupaten.json"
    exported = keys.export_identity(offices.regency, path)
    found = keys.read_identity(offices.prambanan, path)
    assert found.already_trusted is True and found.peer.fingerprint == exported.fingerprint
    assert len(exported.fingerprint.split()) == 10
    other = offices.make_ctx("empty", name="regency-baru")
    from klaten_desktop.domain.enums import OfficeRole
    from klaten_desktop.services import office

    office.init(other, SYSTEM, role=OfficeRole.kabupaten, name="Kabupaten (PC baru)")
    keys.export_identity(other, offices.folder / "baru.json")
    newer = keys.read_identity(offices.prambanan, offices.folder / "baru.json")
    assert [p.install_id for p in newer.replaces] == [exported.install_id]
    keys.trust(offices.prambanan, SYSTEM, newer)
    assert [p.name for p in keys.trusted_peers(offices.prambanan)] == ["Kabupaten (PC baru)"]


def test_tampered_identity_file_is_refused(offices: Offices) -> None:
    path = offices.folder / "kabupaten.json"
    keys.export_identity(offices.regency, path)
    path.write_text(path.read_text().replace("Pemerintah", "Pemerintahan"))
    from klaten_desktop.services.errors import UserError

    with pytest.raises(UserError, match="Berkas kunci tidak sah"):
        keys.read_identity(offices.prambanan, path)
