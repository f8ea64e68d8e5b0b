import shutil

import anyio
from fastapi import APIRouter, File, UploadFile
from starlette.datastructures import UploadFile as StarletteUpload

router = APIRouter()


@router.post("/upload")
async def upload(file: UploadFile = File(...)):
    await anyio.Path(file.filename).write_bytes(await file.read())
    return {"size": file.size}


@router.post("/avatar")
async def avatar(picture: StarletteUpload, target: str):
    data = await picture.read(1024)
    await picture.seek(0)
    header = await picture.read()
    await picture.close()
    return data, header


@router.post("/copy")
async def copy(file: UploadFile, target: str):
    def write_file():
        with open(target, "wb") as buffer:
            shutil.copyfileobj(file.file, buffer)

    await anyio.to_thread.run_sync(write_file)


async def left_alone(file: UploadFile, other):
    file.file.seek(0, 2)
    other.file.read()
