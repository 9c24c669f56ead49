"""Kepesertaan & Iuran: submit, KPJ numbers, payments and the end of an enrollment."""
