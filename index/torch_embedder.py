"""The torch backend: the model run by sentence-transformers (the fallback, and the only int8 one)."""

from __future__ import annotations

import copy
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from index.embedder import Embedder, model_id_of, untruncated_tokenizer


class TorchEmbedder(Embedder):
    """sentence-transformers on the CPU.

    `quantize="int8"` swaps the transformer's linear layers for torch's dynamically quantized int8
    ones (weights int8, activations quantized per batch): faster on CPU, slightly different vectors,
    so an index records it in its model id and must be queried with the same setting."""

    backend = "torch"

    def __init__(self, model_dir: Path, batch_size: int = 32, quantize: str = "none") -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        super().__init__(model_dir, batch_size, model_id_of(model_dir, quantize))
        hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter every command's stderr
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
        self.max_seq_length = int(self._model.max_seq_length or 256)
        self.dimension = int(self._model.get_embedding_dimension() or 384)
        backend = getattr(self._model.tokenizer, "backend_tokenizer", None)
        self._counter = (
            untruncated_tokenizer(backend.to_str())
            if backend is not None
            else copy.deepcopy(self._model.tokenizer)
        )

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
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
