from app.storage import upload_profile


async def on_signup(user):
    """This module imports its package absolutely: so does the new import."""
    upload_profile(user)
