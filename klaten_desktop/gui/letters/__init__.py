"""The "Surat & Sertifikat" section: issue letters, archive and reprint, numbering register, templates, verification."""

from klaten_desktop.gui.letters.section import LettersSection

__all__ = ["LettersSection"]
