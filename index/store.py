"""The Chroma store: an embedded PersistentClient, or an HttpClient when a server is configured."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from errors import UserError
from index.schema import DOCS_COLLECTION_SUFFIX, HNSW_SPACE

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from index.settings import Settings


def make_client(settings: Settings, create: bool = True) -> ClientAPI:
    """A Chroma client with telemetry off: server mode when AQA_CHROMA_HOST is set. With
    create=False a missing local index is an error instead of a new empty folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    store = settings.store
    if store.chroma_host:
        try:
            return chromadb.HttpClient(
                host=store.chroma_host, port=store.chroma_port, settings=chroma_settings
            )
        except Exception as exc:
            raise UserError(
                f"cannot reach the Chroma server at {store.chroma_host}:{store.chroma_port} ({exc}); "
                "start it (`chroma run`) or unset AQA_CHROMA_HOST"
            ) from None
    index_dir = store.index_dir
    if index_dir.exists() and not index_dir.is_dir():
        raise UserError(f"index path '{index_dir}' is a file, not a folder; choose another --index")
    if not create and not index_dir.is_dir():
        raise UserError(
            f"there is no index at '{index_dir}'; run `autoimmune-qa ingest PATH --index {index_dir}` first"
        )
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            f"cannot create index folder '{index_dir}': {exc.strerror}; choose another --index"
        ) from None
    return chromadb.PersistentClient(path=str(index_dir), settings=chroma_settings)


class Store:
    """The two collections of one index: chunks (with vectors) and document records."""

    def __init__(self, client: ClientAPI, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self.name = settings.store.collection

    def chunks(self, model_id: str | None = None, create: bool = True) -> Collection | None:
        """The chunk collection; with a model id, checks the index was built with that model."""
        metadata: dict[str, Any] = {"hnsw:space": HNSW_SPACE}
        if model_id:
            metadata["embed_model"] = model_id
        if create:
            collection = self.client.get_or_create_collection(self.name, metadata=metadata)
        else:
            try:
                collection = self.client.get_collection(self.name)
            except Exception:
                return None
        built_with = (collection.metadata or {}).get("embed_model")
        if model_id and built_with and built_with != model_id:
            raise UserError(
                f"index '{self.where()}' was built with embedding model '{built_with}', not '{model_id}', "
                "and their vectors do not mix; use the settings it was built with (AQA_EMBED_MODEL, "
                "AQA_EMBED_QUANTIZE) or ingest into a new --index folder"
            )
        return collection

    def documents(self) -> Collection:
        return self.client.get_or_create_collection(self.name + DOCS_COLLECTION_SUFFIX)

    def where(self) -> str:
        s = self.settings
        return f"{s.chroma_host}:{s.chroma_port}" if s.chroma_host else str(s.index_dir)


def open_store(settings: Settings, create: bool = True) -> Store:
    return Store(make_client(settings, create), settings)
