# --output FILE: the data goes to the file (nothing on stdout); a failing
# command keeps an older file as it was and leaves no temporary file.
HDR='bill/PayerAccountId,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost'
printf '%s\n%s\n' "$HDR" '111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-02T00:00:00Z,2026-06-02T01:00:00Z,AmazonS3,USD,2.25' >b.csv
"$IMCOST" --quiet import b.csv
"$IMCOST" --format csv --output out.csv sql 'SELECT ServiceName, BilledCost FROM focus'; echo "exit $?"
cat out.csv
"$IMCOST" --output out.csv sql 'SELEKT 1'; echo "exit $?"
cat out.csv
ls -A | grep -c '^\.imcost-'
"$IMCOST" --output missing/out.csv list; echo "exit $?"
