from .conversations.process import process_conversation
from .storage import save_audio, thumbnail, upload_profile


async def finish(conversation_id, path, chunk):
    result = process_conversation(conversation_id)
    size = save_audio(path, chunk)
    upload_profile(conversation_id)
    thumbnail(path)
    return result, size
