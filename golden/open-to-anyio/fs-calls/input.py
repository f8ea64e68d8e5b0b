import os
import shutil
from shutil import rmtree as wipe


async def publish(tmp, out, backup):
    os.makedirs(out)
    os.makedirs(out, exist_ok=True)
    os.makedirs(os.path.join(out, "logs"), 0o750, True)
    os.makedirs(out, mode=0o700, exist_ok=True)
    shutil.copy2(tmp, out)
    shutil.copyfile(tmp, os.path.join(out, "data"))
    shutil.copytree(tmp, backup, dirs_exist_ok=True)
    moved = shutil.move(tmp, backup)
    os.rename(backup, tmp)
    os.replace(tmp, backup)
    done = os.replace(backup, tmp)
    wipe(backup, ignore_errors=True)
    shutil.rmtree(tmp)
    return moved, done


async def left_alone(src, dst, fd, args):
    os.makedirs(*args)
    os.rename(src, dst, src_dir_fd=fd)
    shutil.copy(*args)
    os.makedirs(src)  # asyncmig: skip


def sync_code(path):
    os.makedirs(path, exist_ok=True)
    shutil.rmtree(path)
