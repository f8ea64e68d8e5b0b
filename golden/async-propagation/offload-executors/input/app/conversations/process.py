import time


def process_conversation(conversation_id):
    time.sleep(2)  # the LLM pipeline, sync
    return {"id": conversation_id, "done": True}
