#!/usr/bin/env python3
"""Runs Apache Tika (the `extractous` native build) over folders, for dossier-conformance's tika-coverage report.

Writes one JSON line per regular file: {"path", "ok", "text" or "error", "seconds"}. Paths are absolute and free of
symbolic links in the folder part (the folders are resolved), as dossier records them, so both sides join on path.

Tika runs in worker processes, one file at a time each: a file that hangs Tika (or crashes the native image) costs
that worker, which is killed and replaced, and the file is recorded as an error; the run goes on. Only the standard
library and `extractous` are used, so a throwaway venv (`pip install extractous`) is all it needs.

OCR: by default Tika does what extractous does out of the box. `--no-ocr` turns it off (PDF OCR strategy NO_OCR, and
the workers run without `tesseract` on their PATH, so images are not recognised either); `--ocr-lang rus+ukr+eng`
makes Tika OCR pages without text and images with those Tesseract languages.

usage: extract_all.py [--timeout SECS] [--jobs N] [--max-length CHARS] [--output FILE] [--no-ocr | --ocr-lang L]
                      (FOLDER... | --list FILE)
"""

import argparse
import json
import os
import select
import subprocess
import sys
import time


def regular_files(folders):
    """Every regular file under the folders, sorted, without following symbolic links (as dossier walks)."""
    files = []
    for folder in folders:
        root = os.path.realpath(folder)
        for directory, subdirectories, names in os.walk(root, followlinks=False):
            subdirectories.sort()
            for name in names:
                path = os.path.join(directory, name)
                if os.path.isfile(path) and not os.path.islink(path):
                    files.append(path)
    return sorted(files)


def worker_main(max_length, ocr):
    """Reads paths on stdin, answers one JSON line per path on stdout; never exits on a Tika error."""
    # Imported here so that the parent process does not load the native image it never uses.
    from extractous import Extractor, PdfOcrStrategy, PdfParserConfig, TesseractOcrConfig

    extractor = Extractor().set_extract_string_max_length(max_length)
    if ocr == "none":
        extractor = extractor.set_pdf_config(PdfParserConfig().set_ocr_strategy(PdfOcrStrategy.NO_OCR))
    elif ocr:
        extractor = extractor.set_pdf_config(PdfParserConfig().set_ocr_strategy(PdfOcrStrategy.AUTO))
        extractor = extractor.set_ocr_config(TesseractOcrConfig().set_language(ocr))
    for line in sys.stdin:
        path = line.rstrip("\n")
        started = time.monotonic()
        try:
            text, _metadata = extractor.extract_file_to_string(path)
            answer = {"path": path, "ok": True, "text": text}
        except Exception as error:  # Tika's exceptions arrive as plain Python exceptions; all are data here.
            answer = {"path": path, "ok": False, "error": f"{type(error).__name__}: {error}"[:500]}
        answer["seconds"] = round(time.monotonic() - started, 3)
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()


class Worker:
    """A worker process and the file it is reading, if any."""

    def __init__(self, max_length, ocr):
        environment = dict(os.environ)
        if ocr == "none":
            # Tika finds Tesseract on the PATH; without it, images are not recognised.
            environment["PATH"] = os.path.dirname(sys.executable)
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--worker", "--max-length", str(max_length), "--ocr", ocr],
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # Tika logs warnings on stderr; they are not results and would interleave with the progress line.
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        self.path = None
        self.started = 0.0

    def send(self, path):
        self.path = path
        self.started = time.monotonic()
        self.process.stdin.write(path + "\n")
        self.process.stdin.flush()

    def kill(self):
        self.process.kill()
        self.process.wait()


def run(arguments):
    if arguments.list:
        with open(arguments.list, encoding="utf-8") as listing:
            files = [line.rstrip("\n") for line in listing if line.strip()]
    else:
        files = regular_files(arguments.folders)
    ocr = "none" if arguments.no_ocr else (arguments.ocr_lang or "")
    output = open(arguments.output, "w", encoding="utf-8") if arguments.output else sys.stdout
    pending = list(reversed(files))
    workers = [Worker(arguments.max_length, ocr) for _ in range(max(1, arguments.jobs))]
    n_done = 0
    run_started = time.monotonic()

    def record(answer):
        nonlocal n_done
        output.write(json.dumps(answer, ensure_ascii=False) + "\n")
        output.flush()
        n_done += 1
        if n_done % 50 == 0 or n_done == len(files):
            elapsed = time.monotonic() - run_started
            print(f"tika: {n_done}/{len(files)} files, {elapsed:.0f} s", file=sys.stderr, flush=True)

    for worker in workers:
        if pending:
            worker.send(pending.pop())
    while any(worker.path is not None for worker in workers):
        busy = [worker for worker in workers if worker.path is not None]
        readable, _, _ = select.select([worker.process.stdout for worker in busy], [], [], 0.5)
        for index, worker in enumerate(workers):
            if worker.path is None:
                continue
            answer = None
            if worker.process.stdout in readable:
                line = worker.process.stdout.readline()
                if line:
                    answer = json.loads(line)
                else:
                    # End of output: the native image died on this file (a crash Tika could not catch).
                    seconds = round(time.monotonic() - worker.started, 3)
                    answer = {"path": worker.path, "ok": False, "error": "tika worker crashed", "seconds": seconds}
                    worker.kill()
                    worker = workers[index] = Worker(arguments.max_length, ocr)
            elif time.monotonic() - worker.started > arguments.timeout:
                seconds = round(time.monotonic() - worker.started, 3)
                answer = {"path": worker.path, "ok": False, "error": "timeout", "seconds": seconds}
                worker.kill()
                worker = workers[index] = Worker(arguments.max_length, ocr)
            if answer is not None:
                record(answer)
                worker.path = None
                if pending:
                    worker.send(pending.pop())
    for worker in workers:
        worker.process.stdin.close()
        worker.kill()
    if output is not sys.stdout:
        output.close()


def main():
    parser = argparse.ArgumentParser(description="Extracts the text of every file under FOLDERs with Apache Tika.")
    parser.add_argument("folders", nargs="*", metavar="FOLDER")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per file before Tika is killed")
    parser.add_argument("--jobs", type=int, default=2, help="Tika worker processes")
    # Large enough not to cut real documents (dossier keeps up to 128 MiB), small enough to bound memory.
    parser.add_argument("--max-length", type=int, default=32_000_000, help="characters of text kept per file")
    parser.add_argument("--output", help="JSON lines file (default: standard output)")
    parser.add_argument("--list", help="read the files to extract from this file, one path per line")
    parser.add_argument("--no-ocr", action="store_true", help="no OCR of PDF pages or images")
    parser.add_argument("--ocr-lang", help="OCR pages without text and images with these Tesseract languages")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ocr", default="", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        worker_main(arguments.max_length, arguments.ocr)
    else:
        if not arguments.folders and not arguments.list:
            parser.error("at least one FOLDER (or --list FILE) is needed")
        run(arguments)


if __name__ == "__main__":
    main()
