# An OCI cost report whose cost/myCost (column 6) on line 3 is "twelve": refused
# at line 3, column 6, the database unchanged.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n' \
	'lineItem/referenceNo,lineItem/tenantId,lineItem/intervalUsageStart,lineItem/intervalUsageEnd,product/service,cost/myCost,cost/currencyCode' \
	'r1,ocid1.tenancy.oc1..t,2026-06-01T00:00Z,2026-06-01T01:00Z,COMPUTE,0.05,USD' \
	'r2,ocid1.tenancy.oc1..t,2026-06-01T01:00Z,2026-06-01T02:00Z,COMPUTE,twelve,USD' >bad.csv
try_import bad.csv
