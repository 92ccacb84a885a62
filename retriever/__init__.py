"""Question → ranked evidence → answer with citations (reads the index; the chain lives here)."""
