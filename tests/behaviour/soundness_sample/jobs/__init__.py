"""Helpers that block in more ways than the phase rewrites (item: propagation is sound)."""
