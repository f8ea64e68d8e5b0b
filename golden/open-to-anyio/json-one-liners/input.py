import json
from json import load


async def f(p, obj):
    a = json.load(open(p))
    b = load(open(p, "rb"), parse_float=str)
    c = json.load(open(p, encoding="utf-8"))
    json.dump(obj, open(p, "w", encoding="utf-8"), indent=2)
    json.dump(obj, fp=open(p, "w"))
    x = json.dump(obj, open(p, "w"))
    json.dump(obj, open(p, "a"))
    json.load(fp=open(p))
    return a, b, c, x
