import anyio

async def count(path):
    total = 0

    def read_file():
        nonlocal total
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    total += 1
            else:
                f.seek(0)

    await anyio.to_thread.run_sync(read_file)

    def read_file_2():
        with open(path, encoding="utf-8") as f:
            words = [w for line in f for w in line.split()]
        return words

    words = await anyio.to_thread.run_sync(read_file_2)

    def read_file_3():
        with open(path, encoding="utf-8") as f:
            unique = {line.rstrip("\n") for line in f}
        return unique

    unique = await anyio.to_thread.run_sync(read_file_3)

    def read_file_4():
        with open(path, encoding="utf-8") as f:
            lengths = {n: len(line) for n, line in enumerate([l for l in f])}
        return lengths

    lengths = await anyio.to_thread.run_sync(read_file_4)
    return total, words, unique, lengths
