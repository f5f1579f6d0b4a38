"""What the API tests share: a caller with a token, and the one error shape."""

from api.errors import CODES
from api.tokens import issue_token


class Caller:
    """Requests to /api/v1/ as `user`, with a token of `scope`, through Django's test client."""

    def __init__(self, client, user, scope="write"):
        self.client = client
        self.user = user
        _, secret = issue_token(user, name=f"tests {scope}", scope=scope)
        self.headers = {"Authorization": f"Bearer {secret}"}

    def _url(self, path):
        return path if path.startswith(("/", "http")) else f"/api/v1/{path}"

    def get(self, path, data=None, **extra):
        return self.client.get(self._url(path), data, headers=self.headers, **extra)

    def post(self, path, data=None, **headers):
        return self.client.post(
            self._url(path),
            data,
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def upload(self, path, data):
        """A multipart/form-data POST (files)."""
        return self.client.post(self._url(path), data, headers=self.headers)

    def patch(self, path, data=None):
        return self.client.patch(
            self._url(path), data, content_type="application/json", headers=self.headers
        )

    def delete(self, path):
        return self.client.delete(self._url(path), headers=self.headers)


def assert_error(response, status, message=None):
    """`response` is an API error of `status` in the one shape:
    {"error": {status, code, message}}."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) - {"details"} == {"status", "code", "message"}, error
    assert error["status"] == status
    assert error["code"] == CODES[status]
    assert isinstance(error["message"], str) and error["message"]
    if message is not None:
        assert message in error["message"], error["message"]
    return error
