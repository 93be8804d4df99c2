# A workload profile with "mau" twice and a pricing catalog with a
# repeated key: refused naming the key, its line and column (by hand:
# profile line 3 col 3, first at line 2 col 3; catalog line 1 col 36,
# first at col 17), instead of one value being used silently.
printf '{\n  "mau": 1000,\n  "mau": 5000000\n}\n' >p.json
"$IMCOST" vendors --profile p.json
echo "exit $?"
printf '{"mau": 1000}\n' >ok.json
printf '{"instances": [{"provider": "aws", "provider": "gcp", "region": "x"}]}\n' >cat.json
"$IMCOST" vendors --profile ok.json --catalog cat.json
echo "exit $?"
