import concurrent.futures


def render(template, context):
    return template.format(**context)


async def render_all(templates, context):
    with concurrent.futures.ThreadPoolExecutor() as executor:
        futures = [executor.submit(render, t, context) for t in templates]
        pages = [f.result() for f in futures]
    return pages
