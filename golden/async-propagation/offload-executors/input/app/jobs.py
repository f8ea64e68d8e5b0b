from .conversations.process import process_conversation


async def reprocess(conversation_ids):
    """Every offload here goes to a dedicated pool: no asyncio import is needed."""
    return [process_conversation(c) for c in conversation_ids]
