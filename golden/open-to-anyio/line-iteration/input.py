async def count(path):
    total = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                total += 1
        else:
            f.seek(0)
    with open(path, encoding="utf-8") as f:
        words = [w for line in f for w in line.split()]
    with open(path, encoding="utf-8") as f:
        unique = {line.rstrip("\n") for line in f}
    with open(path, encoding="utf-8") as f:
        lengths = {n: len(line) for n, line in enumerate([l for l in f])}
    return total, words, unique, lengths
