import shutil

from fastapi import APIRouter, File, UploadFile
from starlette.datastructures import UploadFile as StarletteUpload

router = APIRouter()


@router.post("/upload")
async def upload(file: UploadFile = File(...)):
    with open(file.filename, "wb") as f:
        f.write(file.file.read())
    return {"size": file.size}


@router.post("/avatar")
async def avatar(picture: StarletteUpload, target: str):
    data = picture.file.read(1024)
    picture.file.seek(0)
    header = picture.file.read()
    picture.file.close()
    return data, header


@router.post("/copy")
async def copy(file: UploadFile, target: str):
    with open(target, "wb") as buffer:
        shutil.copyfileobj(file.file, buffer)


async def left_alone(file: UploadFile, other):
    file.file.seek(0, 2)
    other.file.read()
