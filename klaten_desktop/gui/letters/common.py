"""Pieces shared by the tabs of the letters section: kind labels, opening a PDF, masking."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from klaten_desktop.domain.nik import mask_nik
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.documents.codes import mask_kpj
from klaten_desktop.services.letters import templates

PDF_FILTER = "Dokumen PDF (*.pdf)"
CERTIFICATE_KIND = "sertifikat"
_NIK = re.compile(r"\b\d{16}\b")
_KPJ = re.compile(r"\b(?!08)\d{11}\b")


def kind_labels(ctx: ServiceContext) -> dict[str, str]:
    """Every kind of letter this office has a template for, plus certificates, by code."""
    labels = {t.kind: t.label for t in templates.list_templates(ctx)}
    labels[CERTIFICATE_KIND] = "Sertifikat sosialisasi"
    return labels


def open_in_viewer(path: Path) -> bool:
    """Open a file in the system's PDF viewer (tests replace this)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def mask_numbers(text: str) -> str:
    """Hide NIK (16 digits) and KPJ (11 digits) inside a line of letter text."""
    text = _NIK.sub(lambda m: mask_nik(m.group(0)), text)
    return _KPJ.sub(lambda m: mask_kpj(m.group(0)) or "", text)
