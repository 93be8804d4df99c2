# A CSV no importer recognises.
. "$CASES/lib.inc"
seed
printf 'date,service,cost\n2026-06-01,chat,1.00\n' >bad.csv
try_import bad.csv
