import asyncio


def run_job(*args, **kwargs):
    print(args, kwargs)


async def run_jobs(jobs):
    await asyncio.gather(
        *(
            asyncio.to_thread(run_job, *job_args, **job_kwargs)
            for job_args, job_kwargs in jobs
        ),
    )
