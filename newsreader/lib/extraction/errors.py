class ExtractionError(ValueError):
    """The input cannot be turned into an article; the message says why, for people."""
