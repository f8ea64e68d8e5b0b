import asyncio
import time


class Animal:
    def speak(self):
        time.sleep(0.1)
        return "..."

    async def greet(self):
        return await asyncio.to_thread(self.speak)
