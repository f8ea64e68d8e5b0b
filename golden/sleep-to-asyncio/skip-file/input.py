# asyncmig: skip-file  -- vendored code, migrated upstream
import time


async def vendored():
    time.sleep(1)
