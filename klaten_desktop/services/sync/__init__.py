"""Offline sync between kecamatan offices and the regency: keys, packages, import, conflicts, console."""
