"""The ``mtsum`` command: parse arguments, call the public API, print. Nothing else lives here.

Exit codes: 0 success, 2 bad input or usage, 3 a model is unavailable, 1 a bug, 130 interrupted.
Errors are one line on standard error, starting ``mtsum: error:``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, TextIO

from .cli_models import models_list, models_pull
from .cli_options import language_options, request_of, summary_options, text_command
from .cli_output import (
    ProgressBars,
    format_detection,
    print_error,
    print_flags,
    print_json,
    print_serving,
    print_warnings,
    read_input,
    read_source,
    stream_run,
    stream_translation,
    with_article,
)
from .error_table import answer_for
from .errors import MtsumError
from .operator_words import operator_message
from .pipeline import Pipeline
from .request import PROFILES
from .settings import ServeSettings, Settings
from .version import __version__

__all__ = ["main"]

log = logging.getLogger(__name__)

EXIT_OK, EXIT_BUG, EXIT_USAGE, EXIT_MODEL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class _UsageError(Exception):
    """A command-line mistake caught by argparse."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see: {self.prog} --help)")


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (1 to 65535)")
    return port


def _add_serve_command(commands: Any) -> None:
    """``mtsum serve``: its own function, for ``build_parser``'s length."""
    serve = commands.add_parser(
        "serve",
        help="start the web app and REST API",
        description="Start the web app (UI and REST API) on one port.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument("--port", type=_port, default=7860, help="port, 1-65535 (default: 7860)")
    serve.add_argument(
        "--share",
        action="store_true",
        help="also open a temporary public link to this server, REST API included, through "
        "Gradio's share service (needs internet; expires within a week)",
    )
    serve.add_argument(
        "--ray",
        nargs="?",
        const="",
        metavar="ADDRESS",
        help="serve on Ray Serve (the ray extra): model replicas (MTSUM_REPLICAS) behind one "
        "ingress, on the cluster at ADDRESS (auto, host:6379) or a new local one",
    )
    serve.set_defaults(func=_cmd_serve)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``mtsum`` command: one small function per command."""
    parser = _Parser(
        prog="mtsum",
        description="Detect the language of a text, translate it and summarise it.",
    )
    parser.add_argument("--version", action="version", version=f"mtsum {__version__}")
    _global_flags(parser, on_subcommand=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    for add in (_add_run, _add_detect, _add_translate, _add_summarize):
        add(commands)
    # Batch mode: the command lives with the rest of batch mode.
    from .batch_mode.command import add_batch_command

    add_batch_command(commands, language_options, summary_options)
    _add_serve_command(commands)
    _add_models_command(commands)
    for sub in _subparsers(parser):
        _global_flags(sub, on_subcommand=True)
    return parser


def _add_run(commands: Any) -> None:
    run = text_command(commands, "run", "detect, translate and summarise a text")
    language_options(run)
    summary_options(run)
    run.set_defaults(func=_cmd_run)


def _add_detect(commands: Any) -> None:
    detect = text_command(commands, "detect", "detect the language of a text")
    detect.set_defaults(func=_cmd_detect)


def _add_translate(commands: Any) -> None:
    translate = text_command(
        commands, "translate", "translate a text, or a document into the same format"
    )
    language_options(translate)
    translate.add_argument(
        "-o",
        "--output",
        default=None,
        metavar="OUT",
        help="write the translated document to OUT, in the input's format (.docx, .pptx, .odt, "
        ".odp, .epub, .html, .md, .srt, .txt; a .pdf becomes .docx); '-' writes it to stdout",
    )
    translate.set_defaults(func=_cmd_translate)


def _add_summarize(commands: Any) -> None:
    summarize = text_command(commands, "summarize", "summarise a text in its own language")
    summary_options(summarize)
    summarize.set_defaults(func=_cmd_summarize)


def _add_models_command(commands: Any) -> None:
    """``mtsum models list`` and ``mtsum models pull``."""
    models = commands.add_parser(
        "models",
        help="list or download the registry's models",
        description="List or download the models of the registry.",
    )
    model_commands = models.add_subparsers(
        dest="models_command", metavar="ACTION", parser_class=_Parser
    )
    model_commands.required = True
    listing = model_commands.add_parser(
        "list",
        help="show every model: profile, published score, download size, downloaded or not",
    )
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.set_defaults(func=_cmd_models_list)
    pull = model_commands.add_parser(
        "pull",
        help="download models into MTSUM_MODEL_DIR",
        description="Download models (by registry name such as fr-en or summarize:en, or a "
        "language pair whose whole route is fetched) into the local model store.",
    )
    pull.add_argument(
        "names", nargs="*", metavar="DIRECTION", help="fr-en, en-de, summarize:en, ..."
    )
    pull.add_argument("--all", action="store_true", help="every model of the registry")
    pull.add_argument(
        "--profile",
        choices=PROFILES,
        default=None,
        help="only the models of this profile (default: both best and fast)",
    )
    pull.set_defaults(func=_cmd_models_pull)


def _global_flags(parser: argparse.ArgumentParser, *, on_subcommand: bool) -> None:
    """-v, --debug and --progress/--no-progress, before or after the subcommand.

    On the subcommands their defaults are SUPPRESS, so a flag given after the subcommand sets
    the value and one given before it is not reset.
    """

    def pick(normal: object) -> object:
        return argparse.SUPPRESS if on_subcommand else normal

    parser.add_argument(
        "-v", "--verbose", action="count", default=pick(0), help="more logging (-vv: debug)"
    )
    parser.add_argument(
        "--debug", action="store_true", default=pick(False), help="debug logging and tracebacks"
    )
    bar = parser.add_mutually_exclusive_group()
    bar.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=pick(None),
        help="always show the progress bar (default: only on a terminal)",
    )
    bar.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        default=pick(None),
        help="never show the progress bar",
    )


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every subcommand's parser, nested ones (``models pull``) included."""
    found = []
    for action in parser._actions:  # argparse keeps its subparsers here and nowhere public
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found.append(sub)
                found.extend(_subparsers(sub))
    return found


# ---- commands ----------------------------------------------------------------------------


def _cmd_run(args: argparse.Namespace, pipeline: Pipeline, out: TextIO) -> int:
    text, article = read_source(args.file, pipeline)
    request = request_of(args)
    with ProgressBars(args) as progress:
        if args.json:
            result = with_article(article, pipeline.run(text, request=request, progress=progress))
            print_json(result.to_dict(), out)
        else:  # the translation paragraph by paragraph as it is made, then the rest
            result = with_article(article, stream_run(pipeline, text, request, progress, out))
    print_warnings(result.warnings)
    return EXIT_OK


def _cmd_detect(args: argparse.Namespace, pipeline: Pipeline, out: TextIO) -> int:
    detection = pipeline.detect(read_input(args.file))
    if args.json:
        print_json(detection.to_dict(), out)
    else:
        out.write(format_detection(detection))
    print_warnings(detection.warnings)
    return EXIT_OK


def _cmd_translate(args: argparse.Namespace, pipeline: Pipeline, out: TextIO) -> int:
    if args.output is not None:
        from .cli_files import translate_to_file

        translate_to_file(args, pipeline, request_of(args), out)
        return EXIT_OK
    text, article = read_source(args.file, pipeline)
    request = request_of(args)
    with ProgressBars(args) as progress:
        if args.json:
            translation = pipeline.translate(text, request=request, progress=progress)
            print_json(with_article(article, translation.to_dict()), out)
        else:  # paragraph by paragraph as they are made
            translation = stream_translation(pipeline, text, request, progress, out)
            print_flags(translation.flags, "translation")
    print_warnings(translation.warnings)
    return EXIT_OK


def _cmd_summarize(args: argparse.Namespace, pipeline: Pipeline, out: TextIO) -> int:
    text = read_input(args.file)
    with ProgressBars(args) as progress:
        summary = pipeline.summarize(text, request=request_of(args), progress=progress)
    if args.json:
        print_json(summary.to_dict(), out)
    else:
        out.write(summary.text.rstrip("\n") + "\n")
        print_flags(summary.flags, "summary")
    print_warnings(summary.warnings)
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace, pipeline: Pipeline, out: TextIO) -> int:
    from .web import serve

    serving = ServeSettings.from_env()
    if args.ray is not None:  # serve --ray [ADDRESS]; "" for a new local Ray
        from .serving import serve_on_ray

        serve_on_ray(
            pipeline.settings,
            args.ray or None,
            args.host,
            args.port,
            print_serving,
            args.share,
            serving=serving,
        )
        return EXIT_OK
    serve(
        pipeline.settings, args.host, args.port, args.share, announce=print_serving, serving=serving
    )
    return EXIT_OK


def _cmd_models_list(args: argparse.Namespace, pipeline: Pipeline, out: TextIO) -> int:
    models_list(pipeline, out, as_json=args.json)
    return EXIT_OK


def _cmd_models_pull(args: argparse.Namespace, pipeline: Pipeline, out: TextIO) -> int:
    if args.all == bool(args.names):
        raise _UsageError("give model names (such as fr-en summarize:en) or --all, not both")
    failed = models_pull(pipeline, out, args.names, args.profile, lambda: ProgressBars(args))
    return EXIT_MODEL if failed else EXIT_OK


def _configure_logging(args: argparse.Namespace) -> None:
    level = logging.WARNING
    if args.debug or args.verbose >= 2:
        level = logging.DEBUG
    elif args.verbose == 1:
        level = logging.INFO
    logging.basicConfig(level=level, format="mtsum: %(levelname)s: %(name)s: %(message)s")
    # Warnings reach the user through the result; the library's log would repeat them. A
    # server has no such result on its console: there the log is how the operator hears of a
    # missing model. -v shows the library's INFO lines (model loads). Set either way, so that
    # a second run in the same process does not inherit the first one's level.
    quiet = level == logging.WARNING and args.command != "serve"
    logging.getLogger("mtsum").setLevel(logging.ERROR if quiet else logging.NOTSET)
    if level > logging.DEBUG:
        for noisy in ("transformers", "huggingface_hub", "httpx"):
            logging.getLogger(noisy).setLevel(logging.ERROR)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the ``mtsum`` command; returns the exit code."""
    out = out or sys.stdout
    debug = False
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:  # bare `mtsum`: what it can do, not an error
        build_parser().print_help(out)
        return EXIT_OK
    try:
        args = build_parser().parse_args(arguments)
        debug = args.debug
        _configure_logging(args)
        pipeline = Pipeline(Settings.from_env())
        code: int = args.func(args, pipeline, out)
        out.flush()
        return code
    except _UsageError as exc:
        print_error(str(exc))
        return EXIT_USAGE
    except MtsumError as exc:
        print_error(operator_message(exc))
        return answer_for(exc).exit_code
    except KeyboardInterrupt:
        print_error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if debug:
            raise
        log.debug("internal error", exc_info=True)
        print_error(
            f"internal error (a bug, please report it): {type(exc).__name__}: {exc}; "
            "rerun with --debug to see the traceback"
        )
        return EXIT_BUG
