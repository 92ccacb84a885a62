"""Dense retrieval from Chroma, as a LangChain retriever."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from index.embedder import Embedder
from index.errors import UserError
from index.store import Store
from retriever.types import Evidence


class DenseRetriever(BaseRetriever):
    """Top-k chunks by cosine similarity; each LangChain Document carries `score` and `chunk_id`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Store
    embedder: Embedder
    k: int = 6
    where: dict[str, Any] | None = None

    def search(self, query: str, k: int | None = None, where: dict[str, Any] | None = None) -> list[Evidence]:
        collection = self.store.chunks(create=False)
        if collection is None or collection.count() == 0:
            raise UserError(
                f"the index at '{self.store.where()}' is empty or missing; run `autoimmune-qa ingest PATH` first"
            )
        vector = self.embedder.encode([query])[0]
        result = collection.query(
            query_embeddings=[vector.tolist()],
            n_results=min(k or self.k, collection.count()),
            where=where or self.where,
            include=["documents", "metadatas", "distances"],
        )
        ids = result["ids"][0]
        docs = (result["documents"] or [[]])[0]
        metas = (result["metadatas"] or [[]])[0]
        dists = (result["distances"] or [[]])[0]
        return [
            Evidence.from_chroma(i, d or "", dict(m or {}), dist)
            for i, d, m, dist in zip(ids, docs, metas, dists, strict=True)
        ]

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        return [
            LCDocument(page_content=e.text, id=e.chunk_id, metadata=e.model_dump(exclude={"text"}))
            for e in self.search(query)
        ]
