#!/bin/bash
# t-tags-headers.sh - Tags that are not JSON objects, and duplicated header
# names (issue 3, hostile input).
#
# Tags (FOCUS `Tags`, CUR 2.0 `resource_tags`): charges.Tags is JSON object
# text or NULL (importers/importer.h).  A value that is one JSON object is
# stored byte for byte, quotes and SQL included; any other value (broken
# JSON, an array, a string, an object with text after it, Athena's
# {k=v} map syntax) is stored as NULL, the row is kept, and one warning per
# file names the file, the line and column of the first such value and how
# many there were.  The totals are those of every row.
# Duplicated header names: the first column of a name is read, one warning
# names line 1, the column of the first repeat and the column it repeats,
# and counts the repeated columns; CUR tag columns repeated are read once.
. "$(dirname "$0")/lib.sh"
cd "$TEST_DIR" || exit 1
db=$IMCOST_DB
export IMCOST_DB

sqlq() { sqlite3 "$db" "$1"; }

# import FILE: imports it, stderr in err.txt; "ok NAME" or "not ok"
import_ok() {
	if "$IMCOST" import "$2" >/dev/null 2>err.txt; then
		ok "$1: imported"
		return 0
	fi
	nok "$1: imported" "exit $? ($(head -c 300 err.txt))"
	return 1
}

# ------------------------------------------------------------ FOCUS Tags
evil='{"owner":"O'"'"'Brien \"x\"","q":"'"'"'); DELETE FROM charges; --","n":"a,b"}'
python3 - "$evil" <<'PY'
import csv, sys
evil = sys.argv[1]
hdr = "BilledCost,EffectiveCost,ChargeCategory,ChargePeriodStart,BillingPeriodStart,BillingPeriodEnd,BillingCurrency,ProviderName,BillingAccountId,ServiceName,Tags".split(",")
tags = [
    ("1.25", evil),                         # line 2: kept exactly
    ("2.5", '{"team": "chat", broken'),     # line 3: first bad one
    ("0.125", ""),                          # line 4: null, no warning
    ("10", '[{"a": 1}]'),                   # line 5: an array
    ("0.000000001", '"just a string"'),     # line 6: a JSON string
    ("100", '{"a":"b"} DROP TABLE charges'),# line 7: text after the object
    ("-3", ' {"k": "v"} '),                 # line 8: blanks around: kept
    ("7", "NULL"),                          # line 9: null token, no warning
    ("4", "{}"),                            # line 10: empty object: kept
]
with open("tags-focus.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(hdr)
    for cost, t in tags:
        w.writerow([cost, cost, "Usage", "2026-05-03T00:00:00Z", "2026-05-01", "2026-06-01", "USD",
                    "ACME", "tags", "svc", t])
PY
# 1.25 + 2.5 + 0.125 + 10 + 0.000000001 + 100 - 3 + 7 + 4, in nanos
want_total=$((1250000000 + 2500000000 + 125000000 + 10000000000 + 1 + 100000000000 - 3000000000 + 7000000000 + 4000000000))
if import_ok "FOCUS tags" tags-focus.csv; then
	expect_eq "FOCUS tags: every row kept, total unchanged" \
		"$(sqlq "SELECT COUNT(*), SUM(BilledCostNanos) FROM charges WHERE BillingAccountId = 'tags'")" "9|$want_total"
	expect_eq "FOCUS tags: object with quotes and SQL stored exactly" \
		"$(sqlq "SELECT Tags FROM charges WHERE BillingAccountId = 'tags' AND SourceLine = 2")" "$evil"
	expect_eq "FOCUS tags: the rows whose Tags are NULL" \
		"$(sqlq "SELECT group_concat(SourceLine) FROM (SELECT SourceLine FROM charges WHERE BillingAccountId = 'tags' AND Tags IS NULL ORDER BY SourceLine)")" \
		"3,4,5,6,7,9"
	expect_eq "FOCUS tags: an object with blanks around it kept" \
		"$(sqlq "SELECT Tags FROM charges WHERE BillingAccountId = 'tags' AND SourceLine = 8")" ' {"k": "v"} '
	expect_eq "FOCUS tags: every stored value is a JSON object" \
		"$(sqlq "SELECT COUNT(*) FROM charges WHERE Tags IS NOT NULL AND NOT (json_valid(Tags) AND json_type(Tags) = 'object')")" 0
	expect_eq "FOCUS tags: one warning with file, line, column and count" \
		"$(grep -c 'Tags' err.txt) $(grep 'Tags' err.txt)" \
		"1 imcost: warning: tags-focus.csv: column Tags: not a JSON object, stored as NULL (4 rows, first at line 3, column 11)"
	expect_eq "FOCUS tags: the warning is recorded with the import" \
		"$(sqlq "SELECT warnings LIKE '%column Tags: not a JSON object, stored as NULL (4 rows)%' FROM imports WHERE path = 'tags-focus.csv'")" 1
fi

# ------------------------------------------------- CUR 2.0 resource_tags
python3 - "$evil" <<'PY'
import csv, sys
evil = sys.argv[1]
with open("tags-cur2.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["bill_payer_account_id", "bill_billing_period_start_date", "bill_billing_period_end_date",
                "line_item_line_item_type", "line_item_unblended_cost", "resource_tags"])
    rows = [
        ("3.5", evil),                          # line 2: kept exactly
        ("1.5", "{user_team=chat, user_env=prod}"),  # line 3: Athena map text, not JSON
        ("2", "{}"),                            # line 4: empty map: no tags, no warning
        ("0.25", ""),                           # line 5: no tags
        ("8", "{not json}"),                    # line 6
        ("16", '{"user_team":"a"}'),            # line 7: kept
    ]
    for cost, t in rows:
        w.writerow(["cur2", "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z", "Usage", cost, t])
PY
want_total=$((3500000000 + 1500000000 + 2000000000 + 250000000 + 8000000000 + 16000000000))
if import_ok "CUR 2.0 resource_tags" tags-cur2.csv; then
	expect_eq "CUR 2.0 tags: every row kept, total unchanged" \
		"$(sqlq "SELECT COUNT(*), SUM(BilledCostNanos) FROM charges WHERE BillingAccountId = 'cur2'")" "6|$want_total"
	expect_eq "CUR 2.0 tags: object with quotes and SQL stored exactly" \
		"$(sqlq "SELECT Tags FROM charges WHERE BillingAccountId = 'cur2' AND SourceLine = 2")" "$evil"
	expect_eq "CUR 2.0 tags: the rows whose Tags are NULL" \
		"$(sqlq "SELECT group_concat(SourceLine) FROM (SELECT SourceLine FROM charges WHERE BillingAccountId = 'cur2' AND Tags IS NULL ORDER BY SourceLine)")" \
		"3,4,5,6"
	expect_eq "CUR 2.0 tags: one warning with file, line, column and count" \
		"$(grep -c 'resource_tags' err.txt) $(grep 'resource_tags' err.txt)" \
		"1 imcost: warning: tags-cur2.csv: column resource_tags: not a JSON object, stored as NULL (2 rows, first at line 3, column 6)"
fi

# ------------------------------------------------ duplicated header names
{
	echo 'BilledCost,EffectiveCost,ChargeCategory,ChargePeriodStart,BilledCost,BillingCurrency,ProviderName,BillingAccountId, BilledCost ,ProviderName'
	echo '1,1,Usage,2026-08-01T00:00:00Z,100,USD,ACME,dup,1000,Other'
	echo '2,2,Usage,2026-08-01T00:00:00Z,200,USD,ACME,dup,2000,Other'
} >dup.csv
if import_ok "duplicated header" dup.csv; then
	expect_eq "duplicated header: the first BilledCost and ProviderName read" \
		"$(sqlq "SELECT COUNT(*), SUM(BilledCostNanos), group_concat(DISTINCT ProviderName) FROM charges WHERE BillingAccountId = 'dup'")" \
		"2|3000000000|ACME"
	expect_eq "duplicated header: one warning naming line 1 and the first repeat" \
		"$(grep -c 'duplicated' err.txt) $(grep 'duplicated' err.txt)" \
		"1 imcost: warning: dup.csv: duplicated column names, the first of each is read: BilledCost at column 5 repeats column 1 (3 columns, first at line 1, column 5)"
fi
# a legacy CUR tag column given twice: one key, the first column's value
{
	echo 'lineItem/LineItemType,lineItem/UnblendedCost,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,bill/PayerAccountId,resourceTags/user:team,resourceTags/user:env,resourceTags/user:team'
	echo 'Usage,2.5,2026-08-01T00:00:00Z,2026-09-01T00:00:00Z,dupcur,chat,prod,voice'
} >dup-cur.csv
if import_ok "duplicated CUR tag column" dup-cur.csv; then
	expect_eq "duplicated CUR tag column: read once, from the first" \
		"$(sqlq "SELECT group_concat(j.key || '=' || j.value, ' ') FROM charges c, json_each(c.Tags) j WHERE c.BillingAccountId = 'dupcur'")" \
		"user:team=chat user:env=prod"
	expect_eq "duplicated CUR tag column: warned" \
		"$(grep -c 'resourceTags/user:team at column 8 repeats column 6 (1 column, first at line 1, column 8)' err.txt)" 1
fi
# the same name in other case is not a repeat (CUR tag keys are case-sensitive)
{
	echo 'lineItem/LineItemType,lineItem/UnblendedCost,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,bill/PayerAccountId,resourceTags/user:Team,resourceTags/user:team'
	echo 'Usage,1,2026-08-01T00:00:00Z,2026-09-01T00:00:00Z,casecur,A,b'
} >case-cur.csv
if import_ok "CUR tag columns differing in case" case-cur.csv; then
	expect_eq "CUR tag columns differing in case: both kept" \
		"$(sqlq "SELECT group_concat(j.key || '=' || j.value, ' ') FROM charges c, json_each(c.Tags) j WHERE c.BillingAccountId = 'casecur'")" \
		"user:Team=A user:team=b"
	expect_eq "CUR tag columns differing in case: no warning" "$(grep -c duplicated err.txt)" 0
fi
