# JSON inputs: a CloudWatch value 1e400 (not a finite double: it would be
# stored as Inf), a Tencent DescribeBillDetail record with RealCost twice
# (the first would be billed), a key repeated through an escape
# ("\u0056alues" is "Values") and 300 nested arrays.  Each is refused at
# the line and byte column of the offending token, worked out by hand:
# line 3 col 55 is the 1e400; line 4 col 7 the second RealCost (the first
# at line 3 col 66); line 1 col 52 the escaped key (the plain one at col
# 37); col 257 the 257th '['.
. "$CASES/lib.inc"
seed
cat >inf.json <<'J'
{"MetricDataResults": [
  {"Id": "m1", "Label": "i-0abc CPUUtilization",
   "Timestamps": ["2026-06-01T00:00:00Z"], "Values": [1e400],
   "StatusCode": "Complete"}]}
J
try_import inf.json
cat >dup.json <<'J'
{"Response": {"DetailSet": [
  {"BusinessCodeName": "CVM", "ProductCodeName": "CVM", "PayModeName": "按量计费",
   "ComponentSet": [{"ComponentCodeName": "CPU", "Cost": "1.00", "RealCost": "1000000.00",
      "RealCost": "1.00"}]}],
  "RequestId": "x"}}
J
try_import dup.json
printf '{"MetricDataResults": [{"Id": "m1", "Values": [1], "\\u0056alues": [2],\n "Timestamps": ["2026-06-01T00:00:00Z"]}]}\n' >esc.json
try_import esc.json
python3 -c 'print("[" * 300 + "]" * 300)' >deep.json
try_import deep.json
