"""Processed recordings, in the service's database (through a synchronous driver)."""

import fakedb


async def save_recording(dsn, recording_id, report_path):
    with fakedb.connect(dsn) as db:
        db.execute("INSERT INTO recordings (id, report) VALUES (?, ?)", (recording_id, report_path))
