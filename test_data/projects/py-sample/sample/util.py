import asyncio
import functools as ft


def retry(times: int = 3):
    """Retry the decorated function.

    Usage:
        @retry(2)
    """
    def decorator(fn):
        @ft.wraps(fn)
        def wrapper(*args, **kwargs):
            for _ in range(times - 1):
                try:
                    return fn(*args, **kwargs)
                except Exception:
                    pass
            return fn(*args, **kwargs)
        return wrapper
    return decorator


async def gather_all(
    tasks,
    limit: int = 10,
) -> list:
    from itertools import islice
    return await asyncio.gather(*islice(tasks, limit))


if hasattr(asyncio, "timeout"):
    def timeout(seconds):
        return asyncio.timeout(seconds)
