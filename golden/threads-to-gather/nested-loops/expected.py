import asyncio


def probe(region, host, out):
    out[(region, host)] = True


async def probe_fleet(fleet):
    out = {}
    await asyncio.gather(
        *(
            asyncio.to_thread(probe, region, host, out)
            for region, hosts in fleet.items()
            for host in hosts
            if not host.startswith("#")
        ),
    )
    return out
