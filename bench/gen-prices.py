#!/usr/bin/env python3
"""gen-prices.py - a synthetic AWS Price List offer CSV (AmazonEC2 layout:
5 metadata rows, a quoted header, one row per price dimension) for
`make bench` (bench/prices.sh).  Usage: gen-prices.py ROWS OUT.csv

Rows cycle through instance types x platforms x terms: each SKU has one
OnDemand row and 12 Reserved terms (1yr/3yr x standard/convertible x
No/Partial/All Upfront: 1, 2 and 2 rows), plus rows of other products
(storage, data transfer) that imcost counts and does not keep.  Prints the
number of prices imcost must keep (one per OnDemand row and per Reserved
term) on stdout."""
import sys

rows, out = int(sys.argv[1]), sys.argv[2]
cols = ["SKU", "OfferTermCode", "RateCode", "TermType", "PriceDescription", "EffectiveDate",
        "StartingRange", "EndingRange", "Unit", "PricePerUnit", "Currency", "RelatedTo",
        "LeaseContractLength", "PurchaseOption", "OfferingClass", "Product Family", "serviceCode",
        "Location", "Location Type", "Instance Type", "Current Generation", "Instance Family", "vCPU",
        "Physical Processor", "Clock Speed", "Memory", "Storage", "Network Performance",
        "Processor Architecture", "Storage Media", "Volume Type", "Tenancy", "EBS Optimized",
        "Operating System", "License Model", "usageType", "operation", "CapacityStatus",
        "MarketOption", "Normalization Size Factor", "Pre Installed S/W", "Region Code", "serviceName"]
sizes = [("large", 2, 8, 4), ("xlarge", 4, 16, 8), ("2xlarge", 8, 32, 16), ("4xlarge", 16, 64, 32)]
fams = ["m%d%s" % (g, s) for g in (5, 6, 7) for s in ("", "i", "a", "g", "d", "id", "in")]
oss = [("Linux", "NA", "No License required", "RunInstances"), ("Windows", "NA", "No License required", "RunInstances:0002"),
       ("RHEL", "NA", "No License required", "RunInstances:0010"), ("SUSE", "NA", "No License required", "RunInstances:000g"),
       ("Windows", "SQL Web", "No License required", "RunInstances:0202")]
terms = [("1yr", "No Upfront", "standard"), ("1yr", "Partial Upfront", "standard"), ("1yr", "All Upfront", "standard"),
         ("3yr", "No Upfront", "standard"), ("3yr", "Partial Upfront", "standard"), ("3yr", "All Upfront", "standard"),
         ("1yr", "No Upfront", "convertible"), ("1yr", "Partial Upfront", "convertible"), ("1yr", "All Upfront", "convertible"),
         ("3yr", "No Upfront", "convertible"), ("3yr", "Partial Upfront", "convertible"), ("3yr", "All Upfront", "convertible")]
q = lambda v: '"%s"' % v if v != "" else ""
n = kept = sku = 0
with open(out, "w") as f:
    f.write('"FormatVersion","v1.0"\n"Disclaimer","synthetic, for imcost\'s benchmark"\n'
            '"Publication Date","2026-10-01T00:00:00Z"\n"Version","20261001000000"\n"OfferCode","AmazonEC2"\n')
    f.write(",".join(q(c) for c in cols) + "\n")
    while n < rows:
        sku += 1
        fam = fams[sku % len(fams)]
        sz, vcpu, mem, nsf = sizes[(sku // len(fams)) % len(sizes)]
        os_, sw, lic, op = oss[(sku // (len(fams) * len(sizes))) % len(oss)]
        itype = "%s.%s" % (fam, sz)
        s = "SYN%013d" % sku
        od = 0.024 * vcpu * (1 + sku % 7 / 10)
        base = {"SKU": s, "EffectiveDate": "2026-10-01", "Currency": "USD", "Product Family": "Compute Instance",
                "serviceCode": "AmazonEC2", "Location": "US East (N. Virginia)", "Location Type": "AWS Region",
                "Instance Type": itype, "Current Generation": "Yes", "Instance Family": "General purpose",
                "vCPU": str(vcpu), "Physical Processor": "Intel Xeon Platinum 8375C (Ice Lake)", "Clock Speed": "3.5 GHz",
                "Memory": "%d GiB" % mem, "Storage": "EBS only", "Network Performance": "Up to 12500 Megabit",
                "Processor Architecture": "64-bit", "Tenancy": "Shared", "EBS Optimized": "Yes", "Operating System": os_,
                "License Model": lic, "usageType": "BoxUsage:" + itype, "operation": op, "CapacityStatus": "Used",
                "MarketOption": "OnDemand", "Normalization Size Factor": str(nsf), "Pre Installed S/W": sw,
                "Region Code": "us-east-1", "serviceName": "Amazon Elastic Compute Cloud"}
        out_rows = [dict(base, OfferTermCode="JRTCKXETXF", RateCode=s + ".JRTCKXETXF.6YS6EN2CT7", TermType="OnDemand",
                         PriceDescription="$%.4f per On Demand %s %s Instance Hour" % (od, os_, itype),
                         StartingRange="0", EndingRange="Inf", Unit="Hrs", PricePerUnit="%.10f" % od)]
        kept += 1
        for k, (lease, po, oc) in enumerate(terms):
            code = "T%09d" % k
            yrs = 1 if lease == "1yr" else 3
            disc = 0.6 if oc == "standard" else 0.68
            hr = od * disc * (1 if po == "No Upfront" else 0.5 if po == "Partial Upfront" else 0)
            up = round(od * disc * 8760 * yrs * (0 if po == "No Upfront" else 0.5 if po == "Partial Upfront" else 1))
            t = dict(base, OfferTermCode=code, TermType="Reserved", LeaseContractLength=lease, PurchaseOption=po,
                     OfferingClass=oc)
            out_rows.append(dict(t, RateCode=s + "." + code + ".6YS6EN2CT7", Unit="Hrs", StartingRange="0",
                                 EndingRange="Inf", PricePerUnit="%.10f" % hr,
                                 PriceDescription="%s (Amazon VPC), %s reserved instance applied" % (os_, itype)))
            if po != "No Upfront":
                out_rows.append(dict(t, RateCode=s + "." + code + ".2TG2D8R56U", Unit="Quantity",
                                     PricePerUnit=str(up), PriceDescription="Upfront Fee"))
            kept += 1
        out_rows.append({"SKU": "EBS%013d" % sku, "OfferTermCode": "JRTCKXETXF", "TermType": "OnDemand",
                         "Unit": "GB-Mo", "PricePerUnit": "0.0800000000", "Currency": "USD",
                         "Product Family": "Storage", "Location": "US East (N. Virginia)", "Volume Type": "General Purpose",
                         "Storage Media": "SSD-backed", "usageType": "EBS:VolumeUsage.gp3", "Region Code": "us-east-1"})
        for r in out_rows:
            f.write(",".join(q(r.get(c, "")) for c in cols) + "\n")
        n += len(out_rows)
print(kept)
