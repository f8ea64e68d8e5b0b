"""A small blocking service: the bundled example asyncmig migrates.

It has the shape of a real backend's request path (see ``service.handle_recording``):
an OAuth token call, a speech-to-text style upload, webhook delivery with a retry loop,
a fan-out that notifies several integrations in threads, and report files on disk. Every
one of them blocks the event loop inside ``async def`` code; the root ``migrations.toml``
migrates it in three phases.
"""
