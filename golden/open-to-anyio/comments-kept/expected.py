# Storage helpers.


import anyio

async def save(path, lines):
    # Overwrite the file.
    def write_file():
        with open(path, "w") as f:  # text mode
            # one line each
            for line in lines:
                f.write(line)  # no newline added
            f.flush()  # before returning

    await anyio.to_thread.run_sync(write_file)
    # done
