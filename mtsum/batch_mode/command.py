"""``mtsum batch INPUT OUTPUT``: the command-line face of batch mode.

Kept out of ``cli.py`` so that the command there stays one line to register; this module only
parses, shows progress (tqdm on standard error, records/s and ETA) and prints the summary.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from typing import Any, TextIO

from ..errors import InputError, MtsumError
from ..inputs import read_glossary_file
from ..pipeline import Pipeline
from ..request import Request
from .runner import BatchOptions, BatchSummary, run_batch

__all__ = ["add_batch_command"]

_DESCRIPTION = (
    "Detect, translate and summarise every record of INPUT into OUTPUT. INPUT and OUTPUT are "
    "JSONL, CSV or Parquet files (by extension) or folders (INPUT: .txt files; OUTPUT: one .json "
    "per record). Rerunning with the same OUTPUT skips the records it already has."
)


def add_batch_command(
    commands: Any,
    language_options: Callable[[argparse.ArgumentParser], None],
    summary_options: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``batch`` on the ``mtsum`` sub-command parser."""
    sub = commands.add_parser(
        "batch", help="process a whole file or folder of texts", description=_DESCRIPTION
    )
    sub.add_argument("input", metavar="INPUT", help="a .jsonl, .csv, .parquet file or a folder")
    sub.add_argument("output", metavar="OUTPUT", help="a .jsonl, .csv, .parquet file or a folder")
    language_options(sub)
    summary_options(sub)
    sub.add_argument(
        "--text-field", default="text", help="the field holding the text (default: text)"
    )
    sub.add_argument(
        "--id-field",
        default="id",
        help="the field holding each record's id (default: id; missing ids become positions)",
    )
    sub.add_argument(
        "--window",
        type=int,
        default=32,
        metavar="N",
        help="documents processed together and written as one chunk (default: 32)",
    )
    sub.add_argument(
        "--ray",
        nargs="?",
        const=True,
        default=None,
        metavar="ADDRESS",
        help="run on Ray: a cluster ADDRESS (such as auto), or none to start a local Ray; "
        "write it after INPUT OUTPUT or as --ray=ADDRESS",
    )
    sub.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="Ray workers, one pipeline each (default: 2; needs --ray)",
    )
    sub.set_defaults(func=_cmd_batch)


def _cmd_batch(args: argparse.Namespace, pipeline: Pipeline, out: TextIO) -> int:
    if args.workers is not None and args.ray is None:
        raise InputError(
            "--workers needs --ray; local mode runs one pipeline (set MTSUM_THREADS for its "
            "CPU threads)"
        )
    options = BatchOptions(
        request=Request(
            args.target,
            args.source,
            args.words,
            args.method,
            args.profile,
            glossary=read_glossary_file(args.glossary),
            keep=tuple(args.keep),
        ),
        text_field=args.text_field,
        id_field=args.id_field,
        window=args.window,
    )
    if args.ray is not None and not (args.verbose or args.debug):
        _quiet_ray()
    summary = BatchSummary()
    bar = _Bar(args.progress if args.progress is not None else sys.stderr.isatty())
    try:
        run_batch(
            args.input,
            args.output,
            options,
            pipeline=pipeline,
            ray=args.ray,
            workers=args.workers or 2,
            progress=bar.update if bar.enabled else None,
            summary=summary,
        )
    except (MtsumError, KeyboardInterrupt) as exc:
        bar.close()
        # An interrupt can land between a chunk's write and its count, so it always says how
        # to resume: the sink holds whatever was written, counted or not.
        if summary.done or summary.skipped or isinstance(exc, KeyboardInterrupt):
            sys.stderr.write(
                f"mtsum: batch stopped after {summary.line()}; the records written are kept, "
                "rerun the same command to resume\n"
            )
        raise
    bar.close()
    out.write(f"{summary.line()} -> {args.output}\n")
    if summary.deferred:
        reason = " ".join(summary.deferred_reason.split())
        sys.stderr.write(
            f"mtsum: error: {summary.deferred} record(s) were left for later: {reason}; "
            "then rerun the same command to complete them\n"
        )
        return 3
    return 0


def _quiet_ray() -> None:
    """Ray Data logs each execution plan at INFO on the console; the bar says enough."""
    try:
        import ray.data  # noqa: F401 - importing it sets up its loggers, adjusted below
    except ImportError:
        return  # run_ray says how to install it
    for handler in logging.getLogger("ray.data").handlers:
        if type(handler) is logging.StreamHandler:
            handler.setLevel(logging.WARNING)


class _Bar:
    """A tqdm bar of records with rate and ETA, created on the first update."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def update(self, done: int, failed: int, expected: int | None) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=expected, unit="rec", file=sys.stderr, desc="batch")
        self.bar.set_postfix(failed=failed, refresh=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            # Skipped duplicates never show up as progress; end the bar at what was done.
            self.bar.total = self.bar.n
            self.bar.refresh()
            self.bar.close()
            self.bar = None
