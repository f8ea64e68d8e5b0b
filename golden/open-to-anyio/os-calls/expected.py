import os
import os.path

import anyio


async def cleanup(directory, name):
    path = os.path.join(directory, name)
    if not await anyio.Path(path).exists():
        return []
    if await anyio.Path(path).is_file() and (await anyio.Path(path).stat()).st_size == 0:
        await anyio.Path(path).unlink()
    elif await anyio.Path(path).is_dir():
        await anyio.Path(path + ".lock").unlink()
    if await anyio.Path(directory + ".old").exists():
        await anyio.Path(directory + ".old").unlink()
    return sorted(await anyio.to_thread.run_sync(os.listdir, directory)) + await anyio.to_thread.run_sync(os.listdir)
