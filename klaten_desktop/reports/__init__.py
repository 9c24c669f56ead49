"""PDF documents (reportlab): plain data in, PDF out."""
