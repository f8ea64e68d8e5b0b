import hashlib
import shutil
import tarfile


async def digest(path, archive, dst):
    with open(path, "rb") as f:
        digest = hashlib.file_digest(f, "sha256")
    with open(archive, "rb") as raw:
        with tarfile.open(fileobj=raw) as tar:
            names = tar.getnames()
    with open(path, "rb") as src, open(dst, "wb") as out:
        shutil.copyfileobj(src, out)
    return digest.hexdigest(), names
