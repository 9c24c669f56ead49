"""Every action and table an audit entry can name is shown in Indonesian on the Audit screen."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import klaten_desktop
from klaten_desktop.services.audit import ACTION_LABELS, ENTITY_LABELS, VALUE_LABELS, readable_values

SERVICES = Path(klaten_desktop.__file__).parent / "services"
RECORDERS = {"record", "record_many", "_audit_login", "store"}


def _texts(node: ast.expr | None) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _texts(node.body) | _texts(node.orelse)
    return set()


def _recorded() -> tuple[set[str], set[str]]:
    """The literal actions and entities of the audit calls in the services."""
    actions: set[str] = set()
    entities: set[str] = set()
    for path in SERVICES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in RECORDERS:
                continue
            actions |= {t for k in node.keywords if k.arg == "action" for t in _texts(k.value)}
            if name == "_audit_login" and len(node.args) >= 3:
                actions |= _texts(node.args[2])
            elif name in ("record", "record_many") and len(node.args) >= 4:
                actions |= _texts(node.args[2])
                entities |= _texts(node.args[3])
    return actions, entities


def test_every_recorded_action_and_entity_has_an_indonesian_label() -> None:
    actions, entities = _recorded()
    assert {"login_failed", "add_user", "disable_user", "export", "kunci_dicadangkan"} <= actions  # the scan works
    assert {"app_user", "official"} <= entities
    assert sorted(actions - ACTION_LABELS.keys()) == []
    assert sorted(entities - ENTITY_LABELS.keys()) == []


def test_stored_english_keys_are_shown_in_indonesian_and_other_text_as_it_is() -> None:
    stored = json.dumps({"address": "Jl. Raya 1", "nama": "Ana", "ended_on": "2026-11-24"})
    assert readable_values(stored) == '{"alamat": "Jl. Raya 1", "nama": "Ana", "berakhir_tanggal": "2026-11-24"}'
    assert readable_values("bukan json") == "bukan json" and readable_values("[1, 2]") == "[1, 2]"
    english = {k for k in VALUE_LABELS.values() if k in VALUE_LABELS}
    assert english == set()  # no label is itself an English key
