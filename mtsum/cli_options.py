"""The options that several ``mtsum`` commands share, and the ``Request`` they make.

``run``, ``translate``, ``summarize`` and ``batch`` (``batch_mode/command.py``) add the same
language and summary options from here, and ``request_of`` turns whichever of them a command
has into its ``Request``: a new request option is one flag here and one line in
``request_of``.
"""

from __future__ import annotations

import argparse
from typing import Any

from .cli_files import term_options, terms_of
from .request import METHODS, PROFILES, Request

__all__ = ["language_options", "request_of", "summary_options", "text_command"]


def text_command(commands: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    """A sub-command that reads a text (FILE, a link, or standard input) and may answer in
    JSON."""
    sub: argparse.ArgumentParser = commands.add_parser(name, help=help_text, description=help_text)
    sub.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help="text file to read (run, translate: or an http(s) link to an article); '-' "
        "or nothing reads standard input",
    )
    sub.add_argument("--json", action="store_true", help="print the result as JSON")
    return sub


def language_options(sub: argparse.ArgumentParser) -> None:
    """``--target``, ``--source``, ``--profile`` and the glossary options."""
    sub.add_argument(
        "--target",
        default="en",
        metavar="XX",
        help="language to translate into (ISO 639-1, default: en)",
    )
    sub.add_argument(
        "--source", default=None, metavar="XX", help="language of the text (default: detect it)"
    )
    sub.add_argument(
        "--profile",
        choices=PROFILES,
        default=None,
        help="models: best (highest published scores) or fast (smaller, where the registry "
        "names one); default: MTSUM_PROFILE, else best",
    )
    term_options(sub)


def summary_options(sub: argparse.ArgumentParser) -> None:
    """``--words`` and ``--method``."""
    sub.add_argument(
        "--words",
        type=int,
        default=None,
        metavar="N",
        help="summary length in words (default: from the text's length; abstractive about "
        "15%% of it, 30 to 120 words; extractive about 60 words, up to 120 for long texts)",
    )
    sub.add_argument(
        "--method",
        choices=METHODS,
        default="abstractive",
        help="abstractive (a model writes it) or extractive (key sentences)",
    )


def request_of(args: argparse.Namespace) -> Request:
    """The ``Request`` of a text command: its options, the defaults where it has none."""
    defaults = Request()
    return Request(
        target=getattr(args, "target", defaults.target),
        source=getattr(args, "source", defaults.source),
        words=getattr(args, "words", defaults.words),
        method=getattr(args, "method", defaults.method),
        **terms_of(args),
        profile=getattr(args, "profile", defaults.profile),
    )
