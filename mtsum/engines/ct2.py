"""The CTranslate2 engine: the same checkpoints, converted once, run int8 on CPU / float16 on GPU.

CTranslate2 runs Marian, BART and T5 as ``ctranslate2.Translator``; on a CPU int8 it is several
times faster than PyTorch and needs a fraction of the memory (see ``bench/RESULTS.md``). The
conversion is cached in the model store (:mod:`mtsum.engines.ct2_convert`). Text goes in and
out through the checkpoint's own transformers tokenizer, so both engines count and decode
tokens the same way, and generation follows the model's ``generation_config.json`` (beam size,
``no_repeat_ngram_size``, repetition and length penalties, forced first token) like
transformers does.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ModelUnavailableError
from .base import GenerationOptions, Scored
from .ct2_convert import ensure_converted
from .lean_tokenizer import load_tokenizer
from .threads import plan_threads
from .tokenized import TokenizedEngine

__all__ = ["CTranslate2Engine", "resolve_compute_type", "usable_cores"]

log = logging.getLogger(__name__)


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def release_free_memory() -> None:
    """Give memory the C heap holds but no longer uses back to the system (glibc only).

    Loading a CTranslate2 model allocates temporary buffers about as large as its embeddings
    and generation leaves freed blocks behind; glibc keeps such memory in the process unless
    asked, so a long-running server would look (and count, for the OS) hundreds of MB larger.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to do
        return
    trim(0)


def resolve_device(device: str) -> str:
    """``auto`` -> ``cuda`` when CTranslate2 sees a GPU, else ``cpu``."""
    import ctranslate2

    gpus = ctranslate2.get_cuda_device_count()
    if device == "auto":
        return "cuda" if gpus > 0 else "cpu"
    if device == "cuda" and gpus == 0:
        raise ModelUnavailableError("cuda", "MTSUM_DEVICE=cuda but no CUDA device is available")
    return device


def resolve_compute_type(compute_type: str, device: str) -> str:
    """``auto`` -> int8 on CPU, float16 on GPU; anything else is checked against the device.

    Raises:
        ConfigError: the device cannot compute in that type; the message lists those it can.
    """
    import ctranslate2

    if compute_type == "auto":
        return "float16" if device == "cuda" else "int8"
    supported = sorted(ctranslate2.get_supported_compute_types(device))
    if compute_type not in supported:
        raise ConfigError(
            f"MTSUM_COMPUTE_TYPE={compute_type!r} is not supported on {device}, expected one "
            f"of: {', '.join(supported)}"
        )
    return compute_type


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ModelUnavailableError(str(path.parent), f"{path.name} is unreadable ({exc})") from exc
    return data if isinstance(data, dict) else {}


class CTranslate2Engine(TokenizedEngine):
    """A converted seq2seq model, run by ``ctranslate2.Translator``, with its HF tokenizer."""

    kind = "ctranslate2"

    def __init__(
        self,
        translator: Any,
        tokenizer: Any,
        reference: str,
        config: dict[str, Any],
        generation: dict[str, Any],
        device: str,
        compute_type: str,
        inter_threads: int = 1,
    ) -> None:
        max_length = generation.get("max_length")
        super().__init__(
            tokenizer, reference, config, max_length if isinstance(max_length, int) else None
        )
        self.translator = translator
        self.inter_threads = inter_threads
        self.config = config
        self.device = device
        self.compute_type = compute_type
        # transformers' defaults where the checkpoint says nothing.
        self.num_beams = int(generation.get("num_beams") or 1)
        self.no_repeat_ngram_size = int(generation.get("no_repeat_ngram_size") or 0)
        self.repetition_penalty = float(generation.get("repetition_penalty") or 1.0)
        penalty = generation.get("length_penalty")
        self.length_penalty = 1.0 if penalty is None else float(penalty)
        forced_bos = generation.get("forced_bos_token_id")
        self.forced_prefix: list[str] | None = (
            [tokenizer.convert_ids_to_tokens(int(forced_bos))] if forced_bos is not None else None
        )

    @classmethod
    def load(
        cls,
        folder: Path,
        reference: str,
        revision: str | None,
        *,
        store_dir: Path,
        device: str,
        compute_type: str,
        threads: int | None,
        allow_pickle: bool,
        concurrency: int = 1,
        split: bool = True,
    ) -> CTranslate2Engine:
        """Convert ``folder`` on first use (cached in the store) and load it; ``split`` is
        False for a summariser: one worker with every thread (``plan_threads``).

        Raises:
            ModelUnavailableError: the checkpoint cannot be converted or loaded.
            ConfigError: the compute type does not suit the device.
        """
        import ctranslate2
        import transformers

        transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        device = resolve_device(device)
        compute_type = resolve_compute_type(compute_type, device)
        config = _read_json(folder / "config.json")
        generation = config | _read_json(folder / "generation_config.json")
        tokenizer = _tokenizer(folder, reference)

        def convert(rebuild: bool = False) -> Path:
            return ensure_converted(
                folder, reference, revision, compute_type, store_dir, allow_pickle, rebuild=rebuild
            )

        converted = convert()
        release_free_memory()  # what earlier work left, before the load's own peak
        options = _translator_options(device, compute_type, concurrency, threads, split)
        try:
            translator = ctranslate2.Translator(str(converted), **options)
        except (RuntimeError, ValueError, OSError) as exc:
            # A cache entry of the right size can still be damaged; convert once more.
            log.warning("the conversion of %s did not load (%s); rebuilding it", reference, exc)
            converted = convert(rebuild=True)
            try:
                translator = ctranslate2.Translator(str(converted), **options)
            except (RuntimeError, ValueError, OSError) as again:
                raise ModelUnavailableError(
                    reference, f"its CTranslate2 conversion does not load ({again})"
                ) from again
        release_free_memory()
        inter = options["inter_threads"]
        return cls(
            translator, tokenizer, reference, config, generation, device, compute_type, inter
        )

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        if not texts:
            return []
        encoded = self.encode(texts)
        with self._tokenizer_lock:
            source = [self.tokenizer.convert_ids_to_tokens(ids) for ids in encoded]
        # Lengths count like transformers' new tokens: a forced first token is one of them.
        maximum = max(1, min(options.max_new_tokens, self.max_output_tokens))
        minimum = min(options.min_new_tokens, maximum)
        prefix = [list(self.forced_prefix) for _ in source] if self.forced_prefix else None
        results = self.translator.translate_batch(
            source,
            prefix,
            beam_size=options.num_beams or self.num_beams,
            max_decoding_length=maximum,
            min_decoding_length=minimum,
            no_repeat_ngram_size=self.no_repeat_ngram_size,
            repetition_penalty=self.repetition_penalty,
            length_penalty=self.length_penalty,
            # mtsum never truncates: inputs were split to fit the model before they came here.
            max_input_length=0,
            # Sub-batches run in parallel, one per worker, so one request uses every worker.
            max_batch_size=-(-len(source) // self.inter_threads),
            # Scores come with the search at no extra decoding work; they change no token.
            return_scores=True,
        )
        with self._tokenizer_lock:
            ids = [self.tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in results]
        scores = [self._per_token(r.scores[0], len(r.hypotheses[0])) for r in results]
        return [Scored(t, s) for t, s in zip(self.decode(ids), scores, strict=True)]

    def _per_token(self, score: float, tokens: int) -> float:
        """CTranslate2's hypothesis score is the summed log-probability divided by
        length ** length_penalty (end token counted); this makes it the mean per token."""
        length = tokens + 1
        return float(score * length**self.length_penalty / length)


def _tokenizer(folder: Path, reference: str) -> Any:
    """The model's tokenizer (torch stays unimported on this path).

    Raises:
        ModelUnavailableError: it is incomplete or corrupt.
    """
    try:
        return load_tokenizer(folder)
    except Exception as exc:  # a broken tokenizer surfaces as many exception types
        log.debug("loading the tokenizer of %s failed", reference, exc_info=True)
        raise ModelUnavailableError(
            reference, f"it is incomplete or corrupt ({type(exc).__name__}: {exc})"
        ) from exc


def _translator_options(
    device: str, compute_type: str, concurrency: int, threads: int | None, split: bool
) -> dict[str, Any]:
    """``ctranslate2.Translator``'s device, compute type and worker threads."""
    if device == "cpu":
        plan = plan_threads(usable_cores(), concurrency, threads, split=split)
        inter, intra = plan.inter, plan.intra
    else:  # one GPU stream; CTranslate2 picks the CPU threads that feed it
        inter, intra = 1, threads or 0
    return {
        "device": device,
        "compute_type": compute_type,
        "inter_threads": inter,
        "intra_threads": intra,
    }
