from gen.work import fan_out, generate, lookup, publish, rank


async def build(urls, out):
    first = fan_out(urls)
    spec = generate(urls[0], out)
    code = publish(urls[1], out)
    ranked = rank(urls)
    return first, spec, code, ranked, lookup(urls[2])
