# A file of zero bytes.
. "$CASES/lib.inc"
seed
: >empty.csv
try_import empty.csv
