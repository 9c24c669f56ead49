"""Pengurus RT/RW: the officials list (shared store, table model, browser), the official form, the section."""
