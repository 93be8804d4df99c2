# Errors about a member of a JSON document carry the line and byte column
# of that member, found from the path the message names (by hand:
# CloudWatch Values[1] is the "x" at line 4 column 20; the Tencent
# RealCost of DetailSet[1].ComponentSet[0] is at line 8 column 51; the
# invoice.month of the second GCP JSON line, after a blank line, is at
# line 3 column 178, its byte offset in the row plus one), and a key given
# twice behind a NUL ("Values\u0000x" is the key "Values" to every cJSON
# lookup) is a duplicate.
. "$CASES/lib.inc"
seed
cat >cw.json <<'J'
{"MetricDataResults": [
  {"Id": "m1", "Label": "i-0abc CPUUtilization",
   "Timestamps": ["2026-06-01T00:00:00Z", "2026-06-01T01:00:00Z"],
   "Values": [1.5, "x"],
   "StatusCode": "Complete"}]}
J
try_import cw.json
cat >t.json <<'J'
{"Response": {"DetailSet": [
  {"BusinessCodeName": "CVM", "PayModeName": "按量计费", "OwnerUin": "1", "PayerUin": "1",
   "FeeBeginTime": "2026-06-01 00:00:00", "FeeEndTime": "2026-06-01 01:00:00", "BillMonth": "2026-06",
   "ComponentSet": [{"ComponentCodeName": "CPU", "RealCost": "1.00", "Cost": "1.00"}]},
  {"BusinessCodeName": "CVM", "PayModeName": "按量计费", "OwnerUin": "1", "PayerUin": "1",
   "FeeBeginTime": "2026-06-01 00:00:00", "FeeEndTime": "2026-06-01 01:00:00", "BillMonth": "2026-06",
   "ComponentSet": [{"ComponentCodeName": "CPU", "Cost": "1.00",
                     "Discount": "1", "RealCost": "abc"}]}],
  "RequestId": "x"}}
J
try_import t.json
row='{"billing_account_id": "01AB", "service": {"description": "Compute Engine"}, "usage_start_time": "2026-06-01 00:00:00 UTC", "cost": 1.5, "currency": "USD", "invoice": {"month": "202606"}}'
{ echo "$row"; echo; echo "$row" | sed 's/"month": "202606"/"month": "June"/'; } >g.jsonl
try_import g.jsonl
printf '{"MetricDataResults": [{"Id": "m1", "Values\\u0000x": [1], "Values": [2]}]}\n' >nul.json
try_import nul.json
