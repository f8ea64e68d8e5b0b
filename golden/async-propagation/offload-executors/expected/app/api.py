from app.executors import run_in_storage_executor
from app.storage import upload_profile


async def on_signup(user):
    """This module imports its package absolutely: so does the new import."""
    await run_in_storage_executor(upload_profile, user)
