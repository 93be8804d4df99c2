#!/usr/bin/env python3
"""gen-corpus.py - build the fuzz seed corpora at fuzz time.

    tests/fuzz/gen-corpus.py OUT_DIR [SAMPLES_DIR]

Writes OUT_DIR/NAME/ (NAME = aws-cur, focus, usage-csv, detect, numbers and
any other folder under tests/fuzz/seeds) from:
  - tests/fuzz/seeds/NAME/*        small hand-written seeds (committed);
  - tests/fuzz/regressions/NAME/*  every input that once broke a harness;
  - the malformed and hostile cases of the end-to-end tests: any small data
    file under tests/ outside tests/fuzz and tests/unit (CSV, JSON, gz...);
  - small slices of the public samples (SAMPLES_DIR, default
    ../shared/samples): the header and the first few records of every
    CSV (cut on record boundaries, quotes respected, bytes unchanged),
    .csv.gz slices re-compressed, JSON files up to 64 KiB whole;
  - for `numbers`: distinct short fields of those slices that look like
    numbers or dates.
Each slice goes to `detect` and to the harness of the format its header or
JSON keys name (CSV_ROUTES, JSON_ROUTES below: lineItem/ -> aws-cur,
BilledCost -> focus, MeterCategory -> azure, DetailSet -> tencent-api...).  Files are named by the SHA-1 of their content, so re-running
adds nothing twice.  Nothing here is copied into the repository: OUT_DIR is
under build/.
"""
import gzip
import hashlib
import os
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MAX_SLICE = 16 * 1024
RECORDS = 12
DATA_EXT = (".csv", ".gz", ".json", ".jsonl", ".txt", ".tsv", ".bin", ".dat", "")


def put(out, name, data):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, hashlib.sha1(data).hexdigest())
    if not os.path.exists(p):
        with open(p, "wb") as f:
            f.write(data)


def slice_records(data, n):
    """The first n+1 records (header included), cut after a newline that is
    outside quotes; at most MAX_SLICE bytes."""
    quoted = False
    count = 0
    end = 0
    for i, b in enumerate(data[:MAX_SLICE]):
        if b == 0x22:
            quoted = not quoted
        elif b == 0x0A and not quoted:
            count += 1
            end = i + 1
            if count > n:
                break
    if end == 0:
        end = min(len(data), MAX_SLICE)
    return data[:end]


# (harness, words that must all be in the lower-cased CSV header)
CSV_ROUTES = [
    ("aws-cur", [b"lineitem/"]), ("aws-cur", [b"line_item_"]),
    ("focus", [b"billedcost"]),
    ("usage-csv", [b"timestamp", b"metric"]),
    ("azure", [b"costinbillingcurrency"]), ("azure", [b"pretaxcost"]),
    ("azure", [b"metercategory"]),
    ("gcp", [b"billing_account_id", b"usage_start_time"]),
    ("gcp-legacy", [b"account id", b"line item"]),
    ("oci", [b"lineitem/referenceno"]), ("oci", [b"cost/mycost"]),
    ("alibaba", [b"billingcycle"]), ("alibaba", [b"pretaxamount"]),
    ("alibaba", ["账期".encode()]), ("alibaba", ["应付金额".encode()]),
    ("tencent", [b"payeruin"]), ("tencent", [b"realtotalcost"]),
    ("tencent", ["支付者uin".encode()]), ("tencent", ["优惠后总价".encode()]),
]
# (harness, a byte string a JSON input holds)
JSON_ROUTES = [
    ("gcp", b'"billing_account_id"'),
    ("tencent-api", b'"DetailSet"'),
    ("cloudwatch", b'"MetricDataResults"'),
    ("prometheus", b'"resultType"'),
]


def route(data):
    head = data[:8192].split(b"\n", 1)[0].lower()
    names = ["detect", "csv-libcsv"]
    for name, words in CSV_ROUTES:
        if all(w in head for w in words) and name not in names:
            names.append(name)
    return names


def route_json(data):
    return ["detect"] + [name for name, word in JSON_ROUTES if word in data[:1 << 20]]


def number_like(field):
    f = field.strip().strip(b'"')
    if not f or len(f) > 40:
        return None
    c = f[:1]
    if c.isdigit() or c in (b"-", b"+", b"."):
        return f
    if f.lower() in (b"null", b"none", b"n/a"):
        return f
    return None


def add_data(out, data, numbers):
    if data[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(data)
        except Exception:
            put(out, "detect", data[:MAX_SLICE])
            return
        s = slice_records(raw, RECORDS)
        put(out, "detect", gzip.compress(s, 9, mtime=0))
        add_data(out, s, numbers)
        return
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        for name in route_json(data):
            put(out, name, data if len(data) <= 64 * 1024 else data[:MAX_SLICE])
        return
    s = slice_records(data, RECORDS)
    for name in route(s):
        put(out, name, s)
    for line in s.split(b"\n")[1:]:
        for field in line.split(b","):
            v = number_like(field)
            if v is not None:
                numbers.add(v)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: gen-corpus.py OUT_DIR [SAMPLES_DIR]")
    out = sys.argv[1]
    samples = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "samples")
    numbers = set()
    counts = {}

    seeds = os.path.join(ROOT, "tests", "fuzz", "seeds")
    regressions = os.path.join(ROOT, "tests", "fuzz", "regressions")
    for base in (seeds, regressions):
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            d = os.path.join(base, name)
            if not os.path.isdir(d):
                continue
            for fn in sorted(os.listdir(d)):
                p = os.path.join(d, fn)
                if os.path.isfile(p):
                    with open(p, "rb") as f:
                        put(out, name, f.read())

    # malformed / hostile cases of the end-to-end tests
    tests = os.path.join(ROOT, "tests")
    for dirpath, dirnames, filenames in os.walk(tests):
        rel = os.path.relpath(dirpath, tests)
        if rel.split(os.sep)[0] in ("fuzz", "unit"):
            dirnames[:] = []
            continue
        for fn in sorted(filenames):
            ext = os.path.splitext(fn)[1].lower()
            if ext not in DATA_EXT or fn.endswith((".sh", ".stdout", ".stderr", ".exit")):
                continue
            p = os.path.join(dirpath, fn)
            if os.path.getsize(p) > 256 * 1024:
                continue
            with open(p, "rb") as f:
                add_data(out, f.read(), numbers)

    if os.path.isdir(samples):
        for dirpath, dirnames, filenames in os.walk(samples):
            dirnames.sort()
            for fn in sorted(filenames):
                if fn.lower().endswith(".md"):
                    continue
                with open(os.path.join(dirpath, fn), "rb") as f:
                    add_data(out, f.read(), numbers)
    else:
        print("gen-corpus: no samples at %s (seeds only)" % samples, file=sys.stderr)

    for v in sorted(numbers)[:400]:
        put(out, "numbers", v)
    for v in (b"0", b"-0.5", b".5", b"5e-06", b"35.2E+7", b"9223372036.854775807",
              b"-9223372036.854775807", b"9223372036.854775808", b"0.0000000005",
              b"1e-400", b"1e400", b"2024-02-29T23:59:60Z", b"2023-11-01 00:00:00.000",
              b"2020-11-09 23:00:00 UTC", b"2026-10-01T00:00+08:00", b"2026-10-01T24:00:00-0500",
              b"2026-10", b"202610", b" NULL ", b"N/A"):
        put(out, "numbers", v)

    for name in sorted(os.listdir(out)):
        counts[name] = len(os.listdir(os.path.join(out, name)))
    print("gen-corpus: " + ", ".join("%s %d" % kv for kv in sorted(counts.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
