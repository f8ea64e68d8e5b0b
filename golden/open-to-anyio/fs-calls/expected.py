import functools
import os
import shutil
from shutil import rmtree as wipe

import anyio


async def publish(tmp, out, backup):
    await anyio.Path(out).mkdir(parents=True)
    await anyio.Path(out).mkdir(parents=True, exist_ok=True)
    await anyio.Path(os.path.join(out, "logs")).mkdir(
        0o750, parents=True, exist_ok=True
    )
    await anyio.Path(out).mkdir(mode=0o700, parents=True, exist_ok=True)
    await anyio.to_thread.run_sync(shutil.copy2, tmp, out)
    await anyio.to_thread.run_sync(shutil.copyfile, tmp, os.path.join(out, "data"))
    await anyio.to_thread.run_sync(
        functools.partial(shutil.copytree, tmp, backup, dirs_exist_ok=True)
    )
    moved = await anyio.to_thread.run_sync(shutil.move, tmp, backup)
    await anyio.Path(backup).rename(tmp)
    await anyio.Path(tmp).replace(backup)
    done = await anyio.to_thread.run_sync(os.replace, backup, tmp)
    await anyio.to_thread.run_sync(functools.partial(wipe, backup, ignore_errors=True))
    await anyio.to_thread.run_sync(shutil.rmtree, tmp)
    return moved, done


async def left_alone(src, dst, fd, args):
    os.makedirs(*args)
    os.rename(src, dst, src_dir_fd=fd)
    shutil.copy(*args)
    os.makedirs(src)  # asyncmig: skip


def sync_code(path):
    os.makedirs(path, exist_ok=True)
    shutil.rmtree(path)
