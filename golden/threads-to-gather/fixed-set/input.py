from threading import Thread


def load_users(out):
    out["users"] = ["ada", "linus"]


def load_orders(out, day, *, limit=10):
    out["orders"] = list(range(limit))


async def dashboard(day):
    out = {}
    users = Thread(target=load_users, args=(out,))
    orders = Thread(target=load_orders, args=[out, day], kwargs={"limit": 50})
    users.start()
    orders.start()
    users.join()
    orders.join()
    return out
