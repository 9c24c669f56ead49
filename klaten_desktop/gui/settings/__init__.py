"""The tabs of the Pengaturan section: Kantor, Surat, Tarif iuran, Sinkronisasi."""
