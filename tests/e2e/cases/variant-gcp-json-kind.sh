# A GCP BigQuery JSON line whose cost is an object: refused with the
# object's JSON text, not a placeholder; the error is at the member
# (line 1, byte column of "cost"'s value, computed here with Python).
. "$CASES/lib.inc"
seed
printf '%s\n' '{"billing_account_id":"01ABCD-234567-89EF01","service":{"description":"Compute Engine"},"sku":{"id":"S1","description":"core"},"usage_start_time":"2026-06-01 00:00:00 UTC","usage_end_time":"2026-06-01 01:00:00 UTC","invoice":{"month":"202606"},"cost":{"amount":"1.5","nested":[1,2]},"currency":"USD","credits":[]}' >bad.jsonl
python3 -c 'import sys; l = open("bad.jsonl").read(); print("want column", l.index("{\"amount\"") + 1)'
try_import bad.jsonl
