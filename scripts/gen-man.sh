#!/bin/sh
# gen-man.sh IMCOST > imcost.1 - the manual page, generated from the
# --help texts of the built binary (imcost --help and imcost CMD --help),
# so it says what the program says.  Run by `make man` and `make install`.
# Every text line is escaped for roff: backslashes, a leading . or ', and
# hyphens (\- so that options copy and paste as typed).
set -eu
IMCOST=${1:-./imcost}
version=$("$IMCOST" --version | sed 's/^imcost //')
date=${MAN_DATE:-$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y-%m-%d)}

esc() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

"$IMCOST" --help >"${TMPDIR:-/tmp}/imcost-man.$$"
help="${TMPDIR:-/tmp}/imcost-man.$$"
trap 'rm -f "$help"' EXIT

cat <<ROFF
.TH IMCOST 1 "$date" "imcost $version" "User Commands"
.SH NAME
imcost \\- where the cloud money of an instant\\-messaging service goes, and how to spend less
.SH SYNOPSIS
.B imcost
[\\fB\\-\\-db\\fR \\fIPATH\\fR]
[\\fB\\-\\-format\\fR \\fBtable\\fR|\\fBjson\\fR|\\fBcsv\\fR|\\fBmarkdown\\fR]
[\\fB\\-\\-output\\fR \\fIFILE\\fR]
[\\fB\\-\\-quiet\\fR]
\\fICOMMAND\\fR [\\fIARGS\\fR]
.SH DESCRIPTION
ROFF
sed -n '4p' "$help" | esc
cat <<'ROFF'
It imports cloud billing exports (AWS CUR, FOCUS, Azure, GCP, Alibaba Cloud,
Tencent Cloud) and usage metrics into one SQLite file, exact to the cent,
and analyzes commitments, idle resources, rightsizing and anomalies; it
writes monthly reports with gnuplot charts and compares hosted IM vendors.
Data goes to standard output, diagnostics to standard error.
ROFF
echo ".SH COMMANDS"
sed -n '/^Commands:/,/^$/p' "$help" | sed -nE 's/^  ([a-z]+) +(.*)/\1\t\2/p' |
while IFS='	' read -r cmd summary; do
	echo ".TP"
	echo ".B $cmd"
	printf '%s\n' "$summary" | esc
done
echo ".SH GLOBAL OPTIONS"
echo "Global options go before or after the command."
sed -n '/^Global options/,/^$/p' "$help" | sed '1d;/^$/d' | {
	first=1
	while IFS= read -r line; do
		case $line in
		'  '[!\ ]*)
			opt=$(printf '%s\n' "$line" | sed -E 's/^  (.*[^ ])  +[^ ].*$/\1/')
			text=$(printf '%s\n' "$line" | sed -E 's/^  .*[^ ]  +([^ ].*)$/\1/')
			echo ".TP"
			printf '%s\n' "$opt" | esc | sed 's/^/.B /'
			printf '%s\n' "$text" | esc ;;
		*) printf '%s\n' "$line" | sed 's/^ *//' | esc ;;
		esac
	done
}
for cmd in $(sed -n '/^Commands:/,/^$/p' "$help" | sed -nE 's/^  ([a-z]+) .*/\1/p'); do
	echo ".SH \"IMCOST $(echo "$cmd" | tr a-z A-Z)\""
	echo ".nf"
	"$IMCOST" "$cmd" --help | sed '/^Global options:/d' | esc
	echo ".fi"
done
echo ".SH EXIT STATUS"
sed -n 's/^Exit status: //p' "$help" | esc
cat <<'ROFF'
.SH ENVIRONMENT
.TP
.B IMCOST_DB
the database file when \-\-db is not given (else ./imcost.db)
.TP
.B NO_COLOR
when set, no colour in the output
.SH FILES
.TP
.I ./imcost.db
the default database (SQLite; with \-wal and \-shm files beside it while in use)
.SH SEE ALSO
.BR sqlite3 (1),
.BR gnuplot (1),
.BR jq (1)
.PP
README.md and README\-vendors.md in the source tree.
ROFF
