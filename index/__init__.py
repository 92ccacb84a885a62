"""The contract between ingest (writes) and retriever (reads): settings, schema, embedder and store."""
