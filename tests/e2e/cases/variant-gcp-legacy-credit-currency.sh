# A GCP legacy file export whose Credit1 Currency (column 11) on line 2 is
# EUR while the row's Currency is USD: refused at line 2, column 11.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n' \
	'Account ID,Line Item,Start Time,End Time,Project,Measurement1,Measurement1 Total Consumption,Measurement1 Units,Credit1,Credit1 Amount,Credit1 Currency,Cost,Currency' \
	'00D11E-FFCCD9-B44BAE,com.google.cloud/services/compute-engine/Core,2026-06-01T00:00:00-07:00,2026-06-02T00:00:00-07:00,1,m,86400,seconds,SUD,-0.30,EUR,1.14,USD' >bad.csv
try_import bad.csv
