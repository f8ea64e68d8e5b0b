import asyncio


def send(hook, payload):
    hook.post(payload)


async def broadcast(hooks, payload):
    await asyncio.gather(*(asyncio.to_thread(send, hook, payload) for hook in hooks))
