# analyze --format csv prints one table: without --only it names the
# sections of this analysis (exit 2); commitments prints several (exit 2);
# a comma list is refused before anything runs (exit 2).
HDR='bill/PayerAccountId,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost'
printf '%s\n%s\n' "$HDR" '111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-02T00:00:00Z,2026-06-02T01:00:00Z,AmazonS3,USD,2.25' >b.csv
"$IMCOST" --quiet import b.csv
"$IMCOST" --format csv analyze; echo "exit $?"
"$IMCOST" --format csv analyze --only commitments; echo "exit $?"
"$IMCOST" --format csv analyze --only summary,idle; echo "exit $?"
"$IMCOST" --format csv analyze --only by_service; echo "exit $?"
