"""Timing."""


class Timer:
    """Measure how long a block of code takes, in seconds."""

    def start(self):
        """Start measuring."""

    def stop(self):
        """Stop measuring and return the seconds taken since start."""
        return 0.0
