from web.client import get_user


async def show_user(user_id):
    user = get_user(user_id)
    return {"name": user["name"]}
