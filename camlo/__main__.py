"""Command line: ``python -m camlo audit`` (and ``camlo audit`` once installed).

Commands:
    audit     print the audit's findings as a readable table (the plan's tables, observed reviews)
    verify    check every raw file against its recorded sha256
    record    record rows added to observed_reviews.csv (after a new review) in its sidecar
    build     execute the notebooks and write reports/ (see camlo.report.build); --records FILE
              [--compare FILE] [--tables FOLDER] [--observed FILE] --output DIR renders the
              notebooks those inputs feed, on them
    figures   refresh the project's figures/ from the notebooks' answers on the shipped data
    synthesize  write the SYNTHETIC household records of the 2022 review and of its end-2023
                follow-up (data/synthetic/)
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path


#: The build's input flags: flag, the notebook parameter it sets, what it names.
BUILD_INPUTS = (
    ("--records", "records_path", "household records of a review (CSV, XLSX or Parquet)"),
    ("--compare", "compare_path", "a later review of the same households"),
    ("--tables", "tables_path", "a folder of the plan's tables laid out like data/raw/"),
    ("--observed", "observed_path", "observed reviews laid out like data/raw/observed_reviews.csv"),
)


def format_findings(findings, width: int = 100) -> str:
    """Render audit findings as numbered blocks: what, where, published vs expected, resolution."""
    if findings.empty:
        return "No findings: every published figure agrees with the others."
    blocks = []
    for number, row in enumerate(findings.itertuples(), start=1):
        head = (f"{number}. [{row.severity}] {row.check} | {row.table} | {row.unit} | {row.column}: "
                f"published {row.published}, expected {row.expected}")
        lines = [head, *textwrap.wrap(row.message, width, initial_indent="   ", subsequent_indent="   ")]
        if row.resolution:
            lines += textwrap.wrap("Resolution: " + row.resolution, width, initial_indent="   ",
                                   subsequent_indent="   ")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def main(argv: list[str] | None = None) -> int:
    """Run a camlo command; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="camlo", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    audit_cmd = commands.add_parser("audit", help="print the audit's findings")
    audit_cmd.add_argument("--all", action="store_true", help="also list the comparisons that agree")
    audit_cmd.add_argument("--tables", default=None, metavar="FOLDER",
                           help="audit the tables in FOLDER, laid out like data/raw/ (default: the plan's)")
    commands.add_parser("verify", help="check raw files against their checksums")
    record_cmd = commands.add_parser("record", help="record rows added to an appendable raw file "
                                     "(observed_reviews.csv) in its provenance sidecar")
    record_cmd.add_argument("file", help="the raw file, already extended")
    record_cmd.add_argument("--source", required=True, help="document, number, date and issuing body of the new rows")
    build_cmd = commands.add_parser("build", help="execute the notebooks and write reports")
    build_cmd.add_argument("--output", default=None, help="reports folder (default: reports/)")
    build_cmd.add_argument("--force", action="store_true", help="rebuild every report, changed or not")
    build_cmd.add_argument("--no-pdf", action="store_true", help="skip the PDFs")
    build_cmd.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                           help="set a notebook parameter (e.g. -p csgn_exit=0.45) in every notebook that has it")
    for flag, name, what in BUILD_INPUTS:
        build_cmd.add_argument(flag, default=None, metavar="FOLDER" if flag == "--tables" else "FILE",
                               help=f"{what} ({name}); renders only the notebooks that take it")
    figures_cmd = commands.add_parser("figures", help="refresh figures/ (PNG and SVG, English and Vietnamese) "
                                      "from the notebooks' answers on the shipped data")
    figures_cmd.add_argument("--output", default=None, help="folder for en/ and vi/ (default: figures/)")
    build_cmd.add_argument("--workers", type=int, default=None, help="notebooks run at a time (default: all, at most twice the cores)")
    synth_cmd = commands.add_parser("synthesize", help="write the SYNTHETIC household records of the 2022 review "
                                    "and of its end-2023 follow-up")
    synth_cmd.add_argument("--review", choices=("2022", "2023"), default=None,
                           help="write one review only (default: both; the 2023 review follows the 2022 one)")
    synth_cmd.add_argument("--output", default=None,
                           help="CSV file, with --review (default: data/synthetic/records_<review>.csv)")
    synth_cmd.add_argument("--seed", type=int, default=None, help="random seed (default: the shipped one)")
    args = parser.parse_args(argv)

    from camlo.errors import DataError

    try:
        if args.command == "audit":
            from camlo.clean.plan_tables import load_plan_tables
            from camlo.consistency.checks import audit

            tables = load_plan_tables(args.tables)
            findings = audit(tables, include_passing=args.all, observed_sums=True)
            shown = findings if not args.all else findings.sort_values("status", kind="stable")
            print(f"camlo audit: {int((findings['status'] == 'mismatch').sum())} finding(s)\n")
            print(format_findings(shown))
        elif args.command == "verify":
            from camlo.clean.provenance import verify_checksums

            for name, digest in verify_checksums().items():
                print(f"ok  {digest[:16]}  {name}")
        elif args.command == "record":
            import datetime

            from camlo.clean.amend import record_addition

            record = record_addition(Path(args.file), args.source, datetime.date.today().isoformat())
            print(f"recorded: {record['file']} sha256 {record['sha256'][:16]}...")
        elif args.command == "build":
            from camlo.report.build import BuildError, build, parse_parameter
            from camlo.report.notebooks import notebooks_taking

            try:
                params = dict(parse_parameter(text) for text in args.parameter)
            except BuildError as exc:
                parser.error(f"build: {exc}")
            given = {name: str(Path(value).resolve()) for flag, name, _ in BUILD_INPUTS
                     if (value := getattr(args, flag.lstrip("-"))) is not None}
            notebooks = notebooks_taking(given) if given else None
            return build(output=args.output, notebooks=notebooks, workers=args.workers, force=args.force,
                         pdf=not args.no_pdf, params={**params, **given})
        elif args.command == "figures":
            from camlo.report.figures import refresh_figures
            from camlo.paths import FIGURES

            written = refresh_figures(Path(args.output).resolve() if args.output else FIGURES)
            print(f"camlo figures: {len(written)} files written")
        elif args.command == "synthesize":
            if args.output is not None and args.review is None:
                parser.error("synthesize: --output writes one review; give --review 2022 or --review 2023")
            from camlo.synthetic import review_2022, review_2023

            # the 2023 review follows the 2022 records written now, else the shipped ones
            seed_2022 = review_2022.DEFAULT_SEED
            if args.review in (None, "2022"):
                seed_2022 = seed_2022 if args.seed is None else args.seed
                path = review_2022.write_synthetic_2022(args.output, seed=seed_2022)
                print(f"wrote SYNTHETIC records: {path} (seed {seed_2022}) and its provenance sidecar")
            if args.review in (None, "2023"):
                seed = review_2023.DEFAULT_SEED if args.seed is None else args.seed
                path = review_2023.write_synthetic_2023(args.output, seed=seed, before_seed=seed_2022)
                print(f"wrote SYNTHETIC records: {path} (seed {seed}, following the 2022 records of seed "
                      f"{seed_2022}) and its provenance sidecar")
    except DataError as exc:
        print(f"camlo: {exc}", file=sys.stderr)
        return 2
    return 0


#: The exit status after the reader of the output went away (``audit | head``): a shell's
#: 128 + SIGPIPE, what a command killed by the signal returns.
EXIT_BROKEN_PIPE = 141


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def run(argv: list[str] | None = None) -> int:
    """Run a camlo command as a process: :func:`main`, with its output flushed and its failures
    to write said in one line (exit 1), never as a traceback.

    A reader that stops reading (``python -m camlo audit | head``) ends the command quietly,
    with status :data:`EXIT_BROKEN_PIPE`; a full disk or a closed output
    (``verify > /dev/full``) is said on stderr.
    """
    try:
        code = main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        _silence_stdout()
        where = f"{exc.filename}: " if exc.filename else "the standard output: "
        print(f"camlo: cannot write {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(run())
