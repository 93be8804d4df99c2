# FOCUS 0.5 as the FinOps Foundation validator writes it (ChargeType,
# AmortizedCost, BilledCurrency; BillingPeriodEnd 2026-06-01 before
# BillingPeriodStart 2026-06-30, column 12): detected, imported with the
# period read swapped and one warning for both rows at line 2, column 12.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n' \
	'InvoiceIssuer,ResourceID,ChargeType,Provider,BillingAccountName,BillingAccountId,Publisher,ResourceName,ServiceName,BilledCurrency,BillingPeriodEnd,BillingPeriodStart,Region,ServiceCategory,ChargePeriodStart,ChargePeriodEnd,BilledCost,AmortizedCost,SubAccountName,SubAccountId' \
	'e1,r1,Purchase,A,Account-1,a1,P1,R 1,svc,AUD,2026-06-01T00:00:00Z,2026-06-30T00:00:00Z,A,Compute,2026-06-01T00:00:00Z,2026-06-01T00:01:00Z,0.1,0.01,IT,s1' \
	'e2,r2,Adjustment,B,NULL,a2,P2,R 2,svc,USD,2026-06-01T00:00:00Z,2026-06-30T00:00:00Z,B,Media,2026-06-01T00:00:00Z,2026-06-01T00:01:00Z,1,1,Prod,s2' >v05.csv
try_import v05.csv
sqlite3 "$IMCOST_DB" "SELECT ProviderName, BillingCurrency, ChargeCategory, BillingPeriodStart, BillingPeriodEnd, BilledCostNanos, EffectiveCostNanos FROM charges WHERE BillingAccountId IN ('a1', 'a2') ORDER BY 1"
