# --db on another application's SQLite file (user_version 0, its own
# table, rollback journal): refused before any change, journal mode
# included; and a first import that fails leaves no database file (nor
# -wal/-shm/-journal) behind.
sqlite3 other.db "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES('keep me');"
before=$(sqlite3 other.db .dump | sha256sum)
printf '%s\n%s\n' 'bill/PayerAccountId,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost' \
	'111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-02T00:00:00Z,2026-06-02T01:00:00Z,AmazonEC2,USD,10.50' >good.csv
"$IMCOST" --db other.db import good.csv
echo "exit $?"
echo "journal $(sqlite3 other.db 'PRAGMA journal_mode') user_version $(sqlite3 other.db 'PRAGMA user_version') objects $(sqlite3 other.db 'SELECT count(*) FROM sqlite_master')"
if [ "$(sqlite3 other.db .dump | sha256sum)" = "$before" ]; then echo "other.db unchanged"; else echo "other.db CHANGED"; fi
printf 'not,a,bill\n1,2,3\n' >bad.csv
"$IMCOST" --db new.db import bad.csv
echo "exit $?"
ls new.db* 2>/dev/null || echo "no new.db files"
"$IMCOST" --db new.db import good.csv
echo "exit $?"
echo "application_id $(sqlite3 new.db 'PRAGMA application_id')"
