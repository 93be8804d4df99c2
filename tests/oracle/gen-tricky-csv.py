#!/usr/bin/env python3
"""gen-tricky-csv.py - random CSV files that stress a reader's edge cases.

    tests/oracle/gen-tricky-csv.py OUT_DIR COUNT SEED

Writes COUNT files OUT_DIR/tricky-NNNN.csv, deterministic for a SEED.  Each
file mixes: plain and quoted fields; commas, doubled quotes, LF and CRLF
inside quotes; empty fields and empty quoted fields; blank lines; spaces
and tabs around fields; LF or CRLF line endings (some files CR-only, some
with a stray CR); a UTF-8 BOM or not; multi-byte UTF-8; fields of 0 to 300
bytes so they straddle the reader's 16-, 32- and 64-byte blocks; a last
record with or without its newline; and, in about one file in five, one
defect: a stray quote, text after a closing quote, or a file that ends
inside quotes.  The files are for tests/e2e/t-csv-oracle.sh, which reads
them with imcost's reader and with libcsv and compares.
"""
import os
import random
import sys

ALPHA = "abcxyz0123456789 .-_/:;=+"
UTF8 = ["\u00e9", "\u4e2d\u6587", "\u20ac", "\U0001F600"]


def field(rng):
    k = rng.random()
    n = rng.choice([0, 1, 2, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, rng.randint(0, 300)])
    text = "".join(rng.choice(ALPHA) for _ in range(n))
    if rng.random() < 0.1:
        text += rng.choice(UTF8)
    if k < 0.55:
        if rng.random() < 0.1:
            text = rng.choice([" ", "\t"]) + text + rng.choice(["", " "])
        return text
    inner = list(text)
    for _ in range(rng.randint(0, 3)):
        pos = rng.randint(0, len(inner))
        inner.insert(pos, rng.choice([",", '""', "\n", "\r\n", ",,"]))
    return '"' + "".join(inner) + '"'


def make(rng):
    eol = rng.choice(["\n", "\r\n", "\n", "\r\n", "\r"])
    ncol = rng.randint(1, 12)
    lines = []
    for _ in range(rng.randint(1, 40)):
        if rng.random() < 0.08:
            lines.append("")
            continue
        n = ncol if rng.random() < 0.9 else rng.randint(1, ncol + 2)
        lines.append(",".join(field(rng) for _ in range(n)))
    defect = rng.random()
    if defect < 0.05 and lines:
        i = rng.randrange(len(lines))
        lines[i] = lines[i] + ',ab"c'
    elif defect < 0.10 and lines:
        i = rng.randrange(len(lines))
        lines[i] = lines[i] + ',"ab"c'
    elif defect < 0.15:
        lines.append('x,"never closed')
    elif defect < 0.20 and lines:
        i = rng.randrange(len(lines))
        lines[i] = lines[i] + ",a\rb"
    text = eol.join(lines)
    if rng.random() < 0.8:
        text += eol
    data = text.encode("utf-8")
    if rng.random() < 0.15:
        data = b"\xef\xbb\xbf" + data
    return data


def main():
    out, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    for i in range(count):
        with open(os.path.join(out, "tricky-%04d.csv" % i), "wb") as f:
            f.write(make(rng))


if __name__ == "__main__":
    main()
