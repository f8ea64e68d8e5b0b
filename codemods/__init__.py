"""asyncmig's built-in codemods, one module each (installed as ``asyncmig.codemods``)."""
