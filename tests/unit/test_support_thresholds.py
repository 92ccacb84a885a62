"""The app's citation check and the evaluator's support criterion judge with the same thresholds object."""

from __future__ import annotations

from evaluation.support import SupportCriterion
from index.settings import Settings
from retriever.citecheck import CiteCheckSettings, is_supported


class _Fixed:
    """An embedder whose every pair of texts has cosine 0.66."""

    dimension = 2

    def encode(self, texts: list[str], batch_size: int | None = None):  # type: ignore[no-untyped-def]
        import numpy as np

        return np.array(
            [[1.0, 0.0] if i % 2 == 0 else [0.66, (1 - 0.66**2) ** 0.5] for i in range(len(texts))]
        )


def test_both_default_to_the_settings_thresholds() -> None:
    settings = Settings()
    assert (settings.support.cosine, settings.support.overlap) == (
        settings.support_cosine,
        settings.support_overlap,
    )
    assert CiteCheckSettings().thresholds == settings.support
    assert SupportCriterion(_Fixed()).thresholds == settings.support  # type: ignore[arg-type]


def test_a_changed_threshold_changes_both_verdicts_alike() -> None:
    pair = ("Remission lasted two years.", "Symptoms stayed away for two years.")
    for cosine in (0.65, 0.70):
        settings = Settings(support_cosine=cosine)
        app = is_supported(*pair, _Fixed(), settings.support)  # type: ignore[arg-type]
        evaluator = SupportCriterion(_Fixed(), settings.support)  # type: ignore[arg-type]
        assert app == evaluator([pair])[0] == (cosine <= 0.66)
