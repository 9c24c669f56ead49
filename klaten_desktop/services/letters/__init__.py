"""Enrollment letters: numbering register, templates, issuing and archive, offline verification.

Modules: :mod:`.config` (office letter settings), :mod:`.register` (numbers), :mod:`.templates`,
:mod:`.issue` (issue, preview, archive, reprint), :mod:`.verify`, :mod:`.codes` (short code and QR string).
"""
