"""One module per CLI command; ``cli/app.py`` only wires them."""
