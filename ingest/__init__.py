"""Documents on disk → parsed Document → chunks → vectors in the index."""
