# The access matrix's world (a team with every role, an article, a highlight, a
# reply, a note and a capture) serves the API's tests too.
from tests.articles.test_access_matrix import world  # noqa: F401
