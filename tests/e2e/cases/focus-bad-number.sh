# A FOCUS file whose BilledCost (column 1) on line 3 has two decimal points.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n' \
	'BilledCost,EffectiveCost,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,BillingCurrency,ProviderName,BillingAccountId,BillingPeriodStart,BillingPeriodEnd,ServiceName' \
	'1.00,1.00,Usage,2026-06-01T00:00:00Z,2026-06-01T01:00:00Z,USD,AWS,111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Chat' \
	'12.3.4,1.00,Usage,2026-06-01T01:00:00Z,2026-06-01T02:00:00Z,USD,AWS,111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Chat' >bad.csv
try_import bad.csv
