from .conversations.process import process_conversation
from .executors import run_in_critical_executor


async def reprocess(conversation_ids):
    """Every offload here goes to a dedicated pool: no asyncio import is needed."""
    return [await run_in_critical_executor(process_conversation, c) for c in conversation_ids]
