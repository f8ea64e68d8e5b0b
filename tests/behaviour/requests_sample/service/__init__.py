"""A blocking service module the behaviour tests migrate with requests-to-httpx."""
