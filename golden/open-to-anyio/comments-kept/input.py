# Storage helpers.


async def save(path, lines):
    # Overwrite the file.
    with open(path, "w") as f:  # text mode
        # one line each
        for line in lines:
            f.write(line)  # no newline added
        f.flush()  # before returning
    # done
