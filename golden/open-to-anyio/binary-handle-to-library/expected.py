import hashlib
import shutil
import tarfile

import anyio


async def digest(path, archive, dst):
    def read_file():
        with open(path, "rb") as f:
            digest = hashlib.file_digest(f, "sha256")
        return digest

    digest = await anyio.to_thread.run_sync(read_file)

    def read_file_2():
        with open(archive, "rb") as raw:
            with tarfile.open(fileobj=raw) as tar:
                names = tar.getnames()
        return names

    names = await anyio.to_thread.run_sync(read_file_2)

    def copy_file():
        with open(path, "rb") as src, open(dst, "wb") as out:
            shutil.copyfileobj(src, out)

    await anyio.to_thread.run_sync(copy_file)
    return digest.hexdigest(), names
