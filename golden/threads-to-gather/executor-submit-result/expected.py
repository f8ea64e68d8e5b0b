import asyncio


def render(template, context):
    return template.format(**context)


async def render_all(templates, context):
    pages = await asyncio.gather(
        *(asyncio.to_thread(render, t, context) for t in templates),
    )
    return pages
