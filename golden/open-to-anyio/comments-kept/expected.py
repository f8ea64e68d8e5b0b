# Storage helpers.


import anyio

async def save(path, lines):
    # Overwrite the file.
    async with await anyio.open_file(path, "w") as f:  # text mode
        # one line each
        for line in lines:
            await f.write(line)  # no newline added
        await f.flush()  # before returning
    # done
