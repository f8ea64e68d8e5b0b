"""A small blocking service: the bundled example asyncmig migrates."""
