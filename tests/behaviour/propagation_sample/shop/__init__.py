"""A two-module service: async handlers (api) over sync helpers that call requests (prices)."""
