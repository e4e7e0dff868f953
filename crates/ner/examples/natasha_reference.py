"""natasha 1.6.0 (and its razdel) on the texts `compare.rs` gives it, for the comparison with dossier-ner.

Run by `cargo xtask ner-compare` with the python of a throwaway venv under target/ that has natasha==1.6.0 from PyPI.
Never a dependency of dossier. Modes (argument 1):
  spans FILE_LIST   each listed file (UTF-8, read as bytes: no newline translation) through NewsNERTagger; one JSON
                    line per file: {"path", "spans": [[start, stop, type]...], "seconds", "cpu_seconds"}; then
                    {"load_seconds"}
  segments FILE_LIST  razdel's tokens and sentences of each file: {"path", "tokens": [[start, stop]...],
                    "sentences": [[start, stop]...]}
  memory FILE       NER over one file; prints {"chars", "seconds", "peak_rss_kb"}
  chars             Python's character classes for every code point, one line each: "hex class class..."
Offsets are in code points, as Python counts them.
"""

import json
import re
import resource
import sys
import time
import unicodedata


def read(path):
    with open(path, 'rb') as file:
        return file.read().decode('utf-8')


def paths(list_file):
    with open(list_file, encoding='utf-8') as file:
        return [line.rstrip('\n') for line in file if line.strip()]


def tagger():
    from natasha import NewsEmbedding, NewsNERTagger
    return NewsNERTagger(NewsEmbedding())


def spans(text, ner):
    # natasha's Doc.tag_ner does exactly this: nothing for blank text, else the tagger over the whole text.
    if not text.strip():
        return []
    return [[span.start, span.stop, span.type] for span in ner(text).spans]


def mode_spans(list_file):
    started = time.perf_counter()
    ner = tagger()
    load_seconds = time.perf_counter() - started
    for path in paths(list_file):
        text = read(path)
        started = time.perf_counter()
        cpu_started = time.thread_time()
        found = spans(text, ner)
        seconds = time.perf_counter() - started
        cpu_seconds = time.thread_time() - cpu_started
        print(json.dumps({'path': path, 'spans': found, 'seconds': seconds, 'cpu_seconds': cpu_seconds},
                         ensure_ascii=False))
    print(json.dumps({'load_seconds': load_seconds}))


def mode_segments(list_file):
    from razdel import sentenize, tokenize
    for path in paths(list_file):
        text = read(path)
        tokens = [[token.start, token.stop] for token in tokenize(text)]
        sentences = [[sent.start, sent.stop] for sent in sentenize(text) if sent.text]
        print(json.dumps({'path': path, 'tokens': tokens, 'sentences': sentences}))


def mode_memory(path):
    text = read(path)
    ner = tagger()
    started = time.perf_counter()
    cpu_started = time.thread_time()
    found = spans(text, ner)
    seconds = time.perf_counter() - started
    cpu_seconds = time.thread_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({'chars': len(text), 'entities': len(found), 'seconds': round(seconds, 2),
                      'cpu_seconds': round(cpu_seconds, 2), 'peak_rss_kb': peak}))


def mode_chars():
    ru = re.compile(r'[а-яё]', re.I)
    lat = re.compile(r'[a-z]', re.I)
    decimal = re.compile(r'\d')
    word = re.compile(r'\w')
    space = re.compile(r'\s')
    out = sys.stdout
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        c = chr(code)
        if unicodedata.category(c) == 'Cn':
            # Unassigned in Python's Unicode 14: Rust's newer tables may know it, and no text of 2023 had it.
            continue
        classes = []
        if ru.match(c):
            classes.append('ru')
        if lat.match(c):
            classes.append('lat')
        if decimal.match(c):
            classes.append('d')
        if word.match(c):
            classes.append('w')
        if space.match(c):
            classes.append('s')
        if c.isalpha():
            classes.append('alpha')
        if c.isdigit():
            classes.append('digit')
        if c.isupper():
            classes.append('upper')
        if c.islower():
            classes.append('lower')
        if unicodedata.category(c) == 'Lt':
            classes.append('title')
        out.write('%x %s\n' % (code, ' '.join(classes)))


def main():
    mode = sys.argv[1]
    if mode == 'spans':
        mode_spans(sys.argv[2])
    elif mode == 'segments':
        mode_segments(sys.argv[2])
    elif mode == 'memory':
        mode_memory(sys.argv[2])
    elif mode == 'chars':
        mode_chars()
    else:
        sys.exit('unknown mode %r' % mode)


if __name__ == '__main__':
    main()
