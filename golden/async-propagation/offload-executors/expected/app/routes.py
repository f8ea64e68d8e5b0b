import asyncio

from .conversations.process import process_conversation
from .executors import run_in_critical_executor, run_in_storage_executor
from .storage import save_audio, thumbnail, upload_profile


async def finish(conversation_id, path, chunk):
    result = await run_in_critical_executor(process_conversation, conversation_id)
    size = await run_in_storage_executor(save_audio, path, chunk)
    await run_in_storage_executor(upload_profile, conversation_id)
    await asyncio.to_thread(thumbnail, path)
    return result, size
