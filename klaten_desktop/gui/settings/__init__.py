"""Pengaturan: the section and its tabs (Kantor, Surat, Tarif iuran, Sinkronisasi); the office form (also used by
the setup wizard)."""
