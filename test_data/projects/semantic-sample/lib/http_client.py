"""Requests over pooled connections."""


class HttpClient:
    """Send requests to a server over connections taken from a pool."""

    def request(self, method, url, body=None):
        """Send one request and read the response."""
        connection = self.pool.acquire()
        return connection.send(method, url, body)

    def close(self):
        """Close every connection of the pool."""
        self.pool.close()
