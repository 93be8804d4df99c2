# "did you mean" for a mistyped command or option (exit 2, one line each):
# analyse/improt/reprot are one edit from analyze/import/report; --mnth and
# --dat-slack one from --month and --date-slack; frobnicate is near nothing.
"$IMCOST" analyse; echo "exit $?"
"$IMCOST" improt x.csv; echo "exit $?"
"$IMCOST" help reprot; echo "exit $?"
"$IMCOST" frobnicate; echo "exit $?"
"$IMCOST" analyze --mnth 2026-10; echo "exit $?"
"$IMCOST" analyze --idle-cpus=5; echo "exit $?"
"$IMCOST" import --dat-slack 3 x.csv; echo "exit $?"
"$IMCOST" vendors --profle p.json; echo "exit $?"
"$IMCOST" report --frobnicate; echo "exit $?"
