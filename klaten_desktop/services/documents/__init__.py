"""Documents the office issues (letters and event certificates alike): one home for numbering, signing,
rendering, archiving and verifying them.

- ``register``: the numbering register (sequences per office and year, reserve/use/void, the gap report).
- ``codes``: short verification codes, the signed QR string and the QR modules (one fast path for every document).
- ``letterhead``: the office as its documents name it and the document settings (numbering format, kop, logo).
- ``issuing``: ``issue_documents()``, the one core that numbers, signs, renders, stores, audits and writes.
- ``rendering``: the renderer port (payloads in, PDF out); the composition root supplies the renderers.
- ``schemas``: the archived payloads, typed per kind and payload version.
- ``archive``: listing and reading the archive, reprints ("Cetakan ke-N").
- ``verify``: offline verification by short code or QR string.

What a letter or a certificate says stays with its drafting (``services/letters``, ``services/events``).
"""
