"""Klaten Desktop: registri kepesertaan BPJS Ketenagakerjaan Ketua RT/RW Kabupaten Klaten."""

__version__ = "0.1.0"
APP_NAME = "Klaten Desktop"
