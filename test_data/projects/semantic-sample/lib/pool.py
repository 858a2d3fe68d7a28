"""Connection pooling."""


class ConnectionPool:
    """Pool which limits how many connections are open at once."""

    def acquire(self, timeout=None):
        """Take a connection from the pool, waiting while every connection is in use."""
        return self._take(timeout)

    def release(self, connection):
        """Give a connection back to the pool."""
        self._idle.append(connection)

    def _take(self, timeout):
        return self._idle.pop()
