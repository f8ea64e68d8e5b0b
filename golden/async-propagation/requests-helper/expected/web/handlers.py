from web.client import get_user


async def show_user(user_id):
    user = await get_user(user_id)
    return {"name": user["name"]}
