from svc.service import describe, load_all


async def list_records(keys):
    return load_all(keys)


async def summary(keys):
    return {"text": describe(keys)}
