#!/bin/bash
# t-conventions.sh - the command-line conventions of issue 18: import DIR
# (known files, manifests first with their parts, unknown files named in
# one warning, the same result as naming the files), --output FILE (the
# file holds exactly what stdout would; a failed command leaves no file
# and keeps an older one), analyze --format csv --only SECTION (one table,
# its sums equal to a Python sum over the bill), and the completion
# scripts (bash: completing in a real bash; zsh and fish: their own
# syntax check, when installed).
. "$ROOT/tests/e2e/lib.sh"
cd "$TEST_DIR" || exit 1

if ! have_gen; then
	skip "conventions" "gen-cur not built"
	exit 0
fi

# ---- import DIR ----
gen_cur cur.csv 2026-10 11 111122223333 4000
mkdir -p bills/aws/part bills/.hidden
head -1 cur.csv >bills/aws/part/a.csv
sed -n '2,2000p' cur.csv >>bills/aws/part/a.csv
{ head -1 cur.csv; sed -n '2001,$p' cur.csv; } | gzip >bills/aws/part/b.csv.gz
echo "notes" >bills/README.md
echo "ORC" >bills/aws/x.orc	# a columnar format imcost does not read (Parquet it does)
cp cur.csv bills/.hidden/copy.csv
"$IMCOST" --db dir.db import bills >dir.out 2>dir.err
expect_eq "import DIR: exit 0" "$?" 0
want=$(exact_sum cur.csv lineItem/UnblendedCost)
got=$("$IMCOST" --db dir.db --format csv sql 'SELECT printf("%.6f", SUM(BilledCostNanos) / 1e9) FROM charges' | tail -1)
expect_eq "import DIR: billed sum equals the Python sum of the bill" "$got" "$want"
expect_eq "import DIR: both parts imported, in name order" \
	"$(grep -o '^imported [^:]*' dir.err | tr '\n' ' ')" "imported bills/aws/part/a.csv imported bills/aws/part/b.csv.gz "
expect_eq "import DIR: one warning names the unknown files" \
	"$(grep -c 'warning' dir.err) $(grep -c 'bills/README.md' dir.err) $(grep -c 'bills/aws/x.orc' dir.err)" "1 1 1"
if grep -q hidden dir.err; then nok "import DIR: hidden folders are not walked" "$(cat dir.err)"; else ok "import DIR: hidden folders are not walked"; fi
"$IMCOST" --db dir.db import bills/aws/part/a.csv bills/aws/part/b.csv.gz 2>same.err
expect_eq "import DIR then the same files by name: unchanged" "$(grep -c unchanged same.err)" 2
mkdir -p empty
echo x >empty/notes.txt
"$IMCOST" --db empty.db import empty >/dev/null 2>empty.err
expect_eq "import of a folder with nothing importable: exit 1" "$?" 1
expect_eq "... and no database created" "$([ -e empty.db ] && echo yes || echo no)" no

# a CUR manifest in the folder: its parts are the batch, an unlisted
# older part is left out with a warning
mkdir -p cur/20261001-20261101
cp bills/aws/part/a.csv cur/20261001-20261101/rep-1.csv
cp bills/aws/part/b.csv.gz cur/20261001-20261101/rep-2.csv.gz
cp cur.csv cur/20261001-20261101/rep-old.csv
cat >cur/20261001-20261101/rep-Manifest.json <<'JSON'
{"assemblyId": "asm-1", "reportKeys": ["p/rep/20261001-20261101/asm-1/rep-1.csv", "p/rep/20261001-20261101/asm-1/rep-2.csv.gz"]}
JSON
"$IMCOST" --db man.db import cur >man.out 2>man.err
expect_eq "import DIR with a manifest: exit 0" "$?" 0
got=$("$IMCOST" --db man.db --format csv sql 'SELECT printf("%.6f", SUM(BilledCostNanos) / 1e9) FROM charges' | tail -1)
expect_eq "import DIR with a manifest: the parts' sum, not the older copy's too" "$got" "$want"
expect_eq "import DIR with a manifest: the unlisted file is named in a warning" \
	"$(grep 'warning' man.err | grep -c 'rep-old.csv')" 1
expect_eq "import DIR with a manifest: one batch labelled with the assembly" \
	"$("$IMCOST" --db man.db --format csv sql 'SELECT COUNT(DISTINCT batch_id) FROM imports' 2>/dev/null | tail -1)" 1

# ---- --output FILE ----
"$IMCOST" --db dir.db --format csv analyze --only by_service >stdout.csv 2>/dev/null
"$IMCOST" --db dir.db --format csv analyze --only by_service --output by-service.csv >o.out 2>o.err
expect_eq "--output: exit 0" "$?" 0
expect_eq "--output: nothing on stdout" "$(wc -c <o.out)" 0
if cmp -s stdout.csv by-service.csv && [ -s by-service.csv ]; then ok "--output: the file holds what stdout would"; else nok "--output: the file holds what stdout would"; fi
echo "old content" >keep.txt
"$IMCOST" --db dir.db --output keep.txt sql 'SELEKT 1' >/dev/null 2>&1
expect_eq "--output with a failing command: exit 1" "$?" 1
expect_eq "--output with a failing command: the old file is kept" "$(cat keep.txt)" "old content"
"$IMCOST" --db dir.db --output new.txt sql 'SELEKT 1' >/dev/null 2>&1
expect_eq "--output with a failing command: no new file" "$([ -e new.txt ] && echo yes || echo no)" no
expect_eq "--output: no temporary file left" "$(ls -a | grep -c '^\.imcost-')" 0
"$IMCOST" --db dir.db --output nodir/x.txt list >/dev/null 2>nd.err
expect_eq "--output into a missing folder: exit 1" "$?" 1
ln -s target.txt link.txt
"$IMCOST" --db dir.db --output=link.txt list >/dev/null 2>&1
expect_eq "--output over a symbolic link replaces the link, not its target" \
	"$([ -L link.txt ] && echo link || echo file) $([ -e target.txt ] && echo target || echo no-target)" "file no-target"
"$IMCOST" --db dir.db --format json list --output list.json >/dev/null 2>&1
if jq -e 'type' list.json >/dev/null 2>&1; then ok "--output after the command: valid JSON written"; else nok "--output after the command: valid JSON written"; fi

# ---- analyze --format csv --only SECTION ----
python3 - cur.csv >svc.want <<'PY'
import csv, sys
from decimal import Decimal
tot = {}
with open(sys.argv[1], newline='') as f:
    r = csv.DictReader(f)
    for row in r:
        k = row.get('product/ProductName') or row['lineItem/ProductCode']
        tot[k] = tot.get(k, Decimal(0)) + Decimal(row['lineItem/UnblendedCost'] or 0)
for k in sorted(tot):
    print(f"{k},{tot[k].quantize(Decimal('0.01'))}")
PY
python3 - stdout.csv >svc.got <<'PY'
import csv, sys
from decimal import Decimal
with open(sys.argv[1], newline='') as f:
    rows = list(csv.reader(f))
assert rows[0][:2] == ['service', 'billed_cost'], rows[0]
for r in sorted(rows[1:]):
    print(f"{r[0]},{Decimal(r[1]).quantize(Decimal('0.01'))}")
PY
if [ -s svc.want ] && cmp -s svc.want svc.got; then ok "csv --only by_service: one table, sums equal Python's"; else nok "csv --only by_service: one table, sums equal Python's" "$(diff svc.want svc.got | head -5)"; fi
expect_eq "csv --only by_service: no title or blank line" "$(grep -c -e '^#' -e '^$' stdout.csv)" 0
"$IMCOST" --db dir.db --format csv analyze >all.out 2>all.err
expect_eq "csv without --only: exit 2, nothing on stdout" "$? $(wc -c <all.out)" "2 0"
if grep -q 'sections here: by_service, ' all.err; then ok "csv without --only: lists the sections"; else nok "csv without --only: lists the sections" "$(cat all.err)"; fi
"$IMCOST" --db dir.db --format csv analyze --only commitments >c.out 2>c.err
expect_eq "csv --only commitments (several tables): exit 2, nothing on stdout" "$? $(wc -c <c.out)" "2 0"

# ---- completion scripts ----
"$IMCOST" completion bash >imcost.bash
comp() { # comp WORD...: what bash completes for the last word
	bash -c '. ./imcost.bash; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _imcost; echo "${COMPREPLY[*]}"' _ "$@"
}
expect_eq "bash completion: commands" "$(comp imcost an)" "analyze"
expect_eq "bash completion: options of the command" "$(comp imcost analyze --mon)" "--month"
expect_eq "bash completion: global options after the command" "$(comp imcost list --out)" "--output"
expect_eq "bash completion: --format values" "$(comp imcost --format js)" "json"
expect_eq "bash completion: --db value skipped when finding the command" "$(comp imcost --db x.db vendors --pro)" "--profile"
expect_eq "bash completion: completion's shells" "$(comp imcost completion z)" "zsh"
for c in $("$IMCOST" --help | sed -n '/^Commands:/,/^$/p' | sed -nE 's/^  ([a-z]+) .*/\1/p'); do
	if grep -q "^	$c)" imcost.bash; then ok "bash completion knows $c"; else nok "bash completion knows $c"; fi
done
if command -v zsh >/dev/null; then
	"$IMCOST" completion zsh >_imcost
	if zsh -n _imcost 2>zsh.err; then ok "zsh completion: zsh -n"; else nok "zsh completion: zsh -n" "$(head -3 zsh.err)"; fi
else
	skip "zsh completion: zsh -n" "zsh not installed"
fi
if command -v fish >/dev/null; then
	"$IMCOST" completion fish >imcost.fish
	if fish -n imcost.fish 2>fish.err; then ok "fish completion: fish -n"; else nok "fish completion: fish -n" "$(head -3 fish.err)"; fi
	got=$(fish -c 'source imcost.fish; complete -C "imcost analyze --mon"' 2>/dev/null | cut -f1)
	expect_eq "fish completion: options of the command" "$got" "--month"
else
	skip "fish completion: fish -n" "fish not installed"
fi

# ---- the manual page ----
if command -v groff >/dev/null; then
	sh "$ROOT/scripts/gen-man.sh" "$IMCOST" >imcost.1
	groff -ww -man -Tutf8 -P-cbou imcost.1 >man.txt 2>man.err
	expect_eq "imcost.1: groff -ww renders it without a warning" "$(cat man.err)" ""
	for c in $("$IMCOST" --help | sed -n '/^Commands:/,/^$/p' | sed -nE 's/^  ([a-z]+) .*/\1/p'); do
		missing=""
		for o in $("$IMCOST" "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
			grep -q -- "$o" man.txt || missing="$missing $o"
		done
		if grep -q "^IMCOST $(echo "$c" | tr a-z A-Z)\$" man.txt && [ -z "$missing" ]; then
			ok "imcost.1: section for $c with every option of its --help"
		else
			nok "imcost.1: section for $c with every option of its --help" "missing:$missing"
		fi
	done
	if grep -q -- '--output FILE' man.txt; then ok "imcost.1: global options"; else nok "imcost.1: global options"; fi
else
	skip "imcost.1 renders" "groff not installed"
fi
if command -v mandoc >/dev/null; then
	if mandoc -T lint -W warning imcost.1 >lint.out 2>&1; then ok "imcost.1: mandoc -T lint"; else nok "imcost.1: mandoc -T lint" "$(head -3 lint.out)"; fi
fi

# ---- make install: binary, man page and completions under DESTDIR ----
if make -s -C "$ROOT" install DESTDIR="$TEST_DIR/inst" PREFIX=/usr SANITIZE="${SANITIZE:-}" >inst.out 2>&1; then
	for f in bin/imcost share/man/man1/imcost.1 share/bash-completion/completions/imcost \
		share/zsh/site-functions/_imcost share/fish/vendor_completions.d/imcost.fish; do
		if [ -s "inst/usr/$f" ]; then ok "make install: $f"; else nok "make install: $f"; fi
	done
	"$IMCOST" completion bash >want.bash
	if cmp -s want.bash inst/usr/share/bash-completion/completions/imcost; then ok "make install: the bash completion is imcost's"; else nok "make install: the bash completion is imcost's"; fi
else
	nok "make install DESTDIR=..." "$(tail -3 inst.out)"
fi

# ---- README-vendors.md: exists and documents every profile field ----
if [ -s "$ROOT/README-vendors.md" ]; then
	missing=""
	for k in $(python3 -c "import json,sys; print(' '.join(k for k in json.load(open(sys.argv[1])) if k != 'about'))" "$ROOT/data/profile-example.json") \
		 connection_minutes channel_minutes stored_bytes_per_message peak_factor horizon_months groups sessions_per_dau exchange_rates; do
		grep -q "\`$k\`" "$ROOT/README-vendors.md" || missing="$missing $k"
	done
	expect_eq "README-vendors.md documents every profile field" "$missing" ""
	# every vendor id of the built-in catalog has its source listed
	missing=$(jq -r '.vendors[].id' "$ROOT/data/vendors.json" | while read -r id; do grep -q "\`$id\`" "$ROOT/README-vendors.md" || echo "$id"; done)
	expect_eq "README-vendors.md lists the source of every built-in plan" "$missing" ""
else
	nok "README-vendors.md exists (cited by vendors --help and profile errors)"
fi

# ---- the "imported" summary fits 100 columns; the progress bar ----
long=a/very/long/folder/name/that/goes/on/and/on/and/on/for/quite/a/while
mkdir -p "$long"
cp cur.csv "$long/cur-2026-10-00001.csv"
"$IMCOST" --db long.db import "$long/cur-2026-10-00001.csv" 2>long.err
w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' long.err)
if [ "$w" -le 100 ] && grep -q "^imported \.\.\./.*cur-2026-10-00001.csv: aws-cur, " long.err; then
	ok "import summary of a long path: $w columns, the file name kept"
else
	nok "import summary of a long path fits 100 columns" "$w: $(cat long.err)"
fi
want_b=$(printf '%s' "$want" | python3 -c "import sys; from decimal import Decimal; print(f'{Decimal(sys.stdin.read()).quantize(Decimal(\"0.01\")):,}')")
if grep -q "USD $want_b " long.err; then ok "import summary: the billed total"; else nok "import summary: the billed total" "want $want_b: $(cat long.err)"; fi
if command -v script >/dev/null; then
	"$GEN_CUR" --rows 200000 --month 2026-11 --seed 4 --out big.csv 2>/dev/null
	script -qc "stty cols 120; \"$IMCOST\" --db big.db import big.csv" tty.log >/dev/null 2>&1
	bar=$(tr '\r' '\n' <tty.log | grep ' MB/s' | tail -1)
	if printf '%s' "$bar" | grep -qE '\] +[0-9]+% [0-9]+/[0-9]+ MB [0-9.]+ MB/s'; then
		ok "progress bar on a terminal: share, MB of the total, rate"
	else
		nok "progress bar on a terminal: share, MB of the total, rate" "$(tr '\r' '\n' <tty.log | tail -3 | cat -v)"
	fi
	if tr '\r' '\n' <tty.log | grep -q 'ETA [0-9]*:[0-9][0-9]'; then ok "progress bar: time left"; else nok "progress bar: time left"; fi
	"$IMCOST" --db big2.db import big.csv 2>notty.err
	expect_eq "no progress bar when stderr is not a terminal" "$(tr -cd '\r' <notty.err | wc -c)" 0
else
	skip "progress bar on a terminal" "script (bsdutils) not installed"
fi
