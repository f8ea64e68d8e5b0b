import threading


def run_job(*args, **kwargs):
    print(args, kwargs)


async def run_jobs(jobs):
    threads = []
    for job_args, job_kwargs in jobs:
        t = threading.Thread(target=run_job, args=job_args, kwargs=job_kwargs)
        threads.append(t)
        t.start()
    for t in threads:
        t.join()
