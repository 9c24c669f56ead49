"""Process-level plumbing shared by the GUI and the CLI: folders, logging, crash logs."""
