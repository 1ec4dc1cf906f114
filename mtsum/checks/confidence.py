"""The translator's own doubt: a sentence it was far less sure of than of the rest.

The mean log-probability per token of what the model wrote ("Seq-Logprob") is the published
detector that needs no second model: on the human-labelled WMT18 de->en set it separates
hallucinations with ROC AUC 0.83, fully detached ones 0.935 (Guerreiro et al. 2023; Dale et
al. 2023). The labelled data here has no scores (they belong to the model that wrote it) and no
machine here runs the real models, so the threshold cannot be calibrated: it is kept
conservative and relative. A sentence is flagged only when both hold:

- it is far below the document's other sentences (a topic, a register or a noisy source
  lowers every sentence alike, so only an outlier within one document counts), and
- it is below a floor that a sentence the model knows how to translate does not reach.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from ..results import Flag, Segment

__all__ = ["low_confidence"]

# Nats per token below the median of the document's other sentences: e^2, about 7 times less
# likely per token than the document's typical sentence. Not calibrated (see above): chosen
# wide so that the flag marks outliers, not the ordinary spread between sentences.
LOW_CONFIDENCE_MARGIN = 2.0
# The per-model floor, in nats per token: below -3, the model's average token was less likely
# than 1 in 20. One value for the Marian (OPUS-MT) family that every translation model of the
# registry belongs to; a model of another family would need its own (LOW_CONFIDENCE_FLOORS).
LOW_CONFIDENCE_FLOOR = -3.0
LOW_CONFIDENCE_FLOORS: dict[str, float] = {}
# "The document's other sentences" needs at least this many scored ones to have a median.
LOW_CONFIDENCE_MIN_OTHERS = 2


def low_confidence(segments: Sequence[Segment], model: str | None = None) -> list[Flag]:
    """``low_confidence`` flags on the scored sentences of one translation.

    Args:
        segments: the aligned sentences; those without a score are left out.
        model: the reference of the (last) model, for its floor; the default floor without.
    """
    floor = LOW_CONFIDENCE_FLOORS.get(model or "", LOW_CONFIDENCE_FLOOR)
    scored = [(i, s.score) for i, s in enumerate(segments) if s.score is not None]
    flags = []
    for index, score in scored:
        others = [other for j, other in scored if j != index]
        if score is None or len(others) < LOW_CONFIDENCE_MIN_OTHERS or score >= floor:
            continue
        typical = statistics.median(others)
        if score <= typical - LOW_CONFIDENCE_MARGIN:
            detail = (
                f"the translator was unsure of this sentence: {score:.2f} per token against "
                f"{typical:.2f} for the others"
            )
            flags.append(Flag(sentence=index, kind="low_confidence", detail=detail))
    return flags
