#!/usr/bin/env python3
"""gen-prices-json.py - synthetic JSON price lists for `make bench`
(bench/prices.sh): Azure Retail Prices API pages and a GCP Cloud Billing
Catalog SKU list, shaped as the APIs return them (compact JSON, the
fields of ../shared/samples/pricing-lists/*/FORMAT.md).

  gen-prices-json.py azure ITEMS DIR   pages of 1000 Items (the API's
                                       largest page) DIR/page-NNNN.json,
                                       each page a region of its own
  gen-prices-json.py gcp SKUS FILE     one {skus: [...]} document
  gen-prices-json.py aws PRODUCTS FILE an EC2 offer file (products{},
                                       terms.OnDemand{}, terms.Reserved{})

Prints the number of prices imcost must keep on stdout, worked out here
from what the generator wrote (not from imcost):
  Azure: per VM size and region, a Consumption item (1 on-demand price
  and 2 savings-plan rates, 1 and 3 years) and 2 Reservation items (1 and
  3 years); Spot and DevTestConsumption items are written and not kept.
  GCP: per series and region, Core and Ram SKUs for OnDemand, Commit1Yr,
  Commit3Yr and Preemptible; imcost keeps each series' per-unit prices
  (2 on demand + 4 commitments) and composes each predefined machine
  type it knows (SHAPES below: the shapes imcost ships for these series,
  price-gcp.c) for on demand and both terms."""
import json
import os
import sys

kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
regions = ["eastus", "eastus2", "westus", "westus2", "westus3", "centralus", "northcentralus",
           "southcentralus", "westeurope", "northeurope", "uksouth", "francecentral",
           "germanywestcentral", "swedencentral", "japaneast", "australiaeast", "southeastasia",
           "eastasia", "canadacentral", "brazilsouth", "koreacentral", "centralindia",
           "southafricanorth", "uaenorth"]

if kind == "azure":
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        if f.startswith("page-"):
            os.remove(os.path.join(out, f))
    items, kept, k = [], 0, 0
    page = 0

    def flush(last):
        global items, page
        doc = {"BillingCurrency": "USD", "CustomerEntityId": "Default", "CustomerEntityType": "Retail",
               "Items": items, "NextPageLink": None if last else
               "https://prices.azure.com/api/retail/prices?$skip=%d" % ((page + 1) * 1000),
               "Count": len(items)}
        with open(os.path.join(out, "page-%04d.json" % page), "w") as f:
            json.dump(doc, f, separators=(",", ":"))
        items, page = [], page + 1

    while len(items) + page * 1000 < n:
        k += 1
        series = "D%ds_v%d" % (2 ** (k % 6 + 1), 3 + k // 6 % 4)
        sku = "Standard_%s_%d" % (series, k // (24 * len(regions)))
        od = round(0.048 * 2 ** (k % 6) * (1 + k % 5 / 10), 6)
        base = {"currencyCode": "USD", "tierMinimumUnits": 0.0, "effectiveStartDate": "2026-10-01T00:00:00Z",
                "meterId": "%08x-0000-4000-8000-%012x" % (k, k), "meterName": series.replace("_", " "),
                "productId": "DZH318Z%05d" % (k % 99999), "skuId": "DZH318Z%05d/%04d" % (k % 99999, k % 9999),
                "productName": "Virtual Machines %s Series%s" % (series, " Windows" if k % 3 == 0 else ""),
                "skuName": series.replace("_", " "), "serviceName": "Virtual Machines",
                "serviceId": "DZH313Z7MMC8", "serviceFamily": "Compute", "unitOfMeasure": "1 Hour",
                "isPrimaryMeterRegion": True, "armSkuName": sku}
        new = [dict(base, type="Consumption", retailPrice=od, unitPrice=od,
                    savingsPlan=[{"unitPrice": round(od * 0.44, 6), "retailPrice": round(od * 0.44, 6), "term": "3 Years"},
                                 {"unitPrice": round(od * 0.67, 6), "retailPrice": round(od * 0.67, 6), "term": "1 Year"}]),
               dict(base, type="Reservation", reservationTerm="1 Year", retailPrice=round(od * 8760 * 0.6),
                    unitPrice=round(od * 8760 * 0.6)),
               dict(base, type="Reservation", reservationTerm="3 Years", retailPrice=round(od * 26280 * 0.4),
                    unitPrice=round(od * 26280 * 0.4)),
               dict(base, type="Consumption", meterName=base["meterName"] + " Spot",
                    skuName=base["skuName"] + " Spot", retailPrice=round(od * 0.2, 6), unitPrice=round(od * 0.2, 6)),
               dict(base, type="DevTestConsumption", retailPrice=od, unitPrice=od)]
        for it in new:
            if len(items) + page * 1000 >= n:
                break
            # one region a page (as a crawl filtered by region gives), and
            # a region of its own for each page
            it["armRegionName"] = it["location"] = "%s%d" % (regions[page % len(regions)], page // len(regions))
            items.append(it)
            if it["type"] == "Consumption" and "Spot" not in it["meterName"]:
                kept += 1 + len(it["savingsPlan"])
            elif it["type"] == "Reservation":
                kept += 1
            if len(items) == 1000:
                flush(len(items) + page * 1000 >= n)
    if items:
        flush(True)
    print(kept)
elif kind == "gcp":
    # the shapes imcost ships (price-gcp.c): series -> {kind: vCPU counts}
    SHAPES = {"n2": {"standard": [2, 4, 8, 16, 32, 48, 64, 80, 96, 128], "highmem": [2, 4, 8, 16, 32, 48, 64, 80, 96, 128],
                     "highcpu": [2, 4, 8, 16, 32, 48, 64, 80, 96]},
              "n2d": {"standard": [2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224], "highmem": [2, 4, 8, 16, 32, 48, 64, 80, 96],
                      "highcpu": [2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224]},
              "c3": {"standard": [4, 8, 22, 44, 88, 176], "highmem": [4, 8, 22, 44, 88, 176],
                     "highcpu": [4, 8, 22, 44, 88, 176]}}
    places = ["Americas", "Virginia", "Oregon", "Iowa", "South Carolina", "Belgium", "London", "Frankfurt",
              "Netherlands", "Tokyo", "Singapore", "Sydney", "Mumbai", "Sao Paulo", "Montreal", "Zurich"]
    gregions = ["us-central2", "us-east4", "us-west1", "us-central1", "us-east1", "europe-west1", "europe-west2",
                "europe-west3", "europe-west4", "asia-northeast1", "asia-southeast1", "australia-southeast1",
                "asia-south1", "southamerica-east1", "northamerica-northeast1", "europe-west6"]
    skus, kept, k = [], 0, 0
    while len(skus) < n:
        series = list(SHAPES)[k % len(SHAPES)]
        r = k // len(SHAPES)
        place = "%s %d" % (places[r % len(places)], r // len(places))
        region = "%s-%d" % (gregions[r % len(gregions)], r // len(gregions))
        k += 1
        S = series.upper()
        core = 0.031611 * (1 + r % 7 / 10)
        ram = 0.004237 * (1 + r % 7 / 10)
        group = []
        for ut, f in (("OnDemand", 1), ("Commit1Yr", 0.63), ("Commit3Yr", 0.45), ("Preemptible", 0.2)):
            for res, price, unit in (("Core", core, "h"), ("Ram", ram, "GiBy.h")):
                if ut.startswith("Commit"):
                    desc = "Commitment v1: %s %s in %s for %s" % (S, "Cpu" if res == "Core" else "Ram", place,
                                                                   "1 Year" if ut == "Commit1Yr" else "3 Years")
                elif ut == "Preemptible":
                    desc = "Spot Preemptible %s Instance %s running in %s" % (S, res, place)
                else:
                    desc = "%s Instance %s running in %s" % (S, res, place)
                v = round(price * f, 9)
                units, nanos = int(v), round((v - int(v)) * 1e9)
                group.append({"name": "services/6F81-5844-456A/skus/%04X-%04X-%04X" % (k, len(group), r % 65536),
                              "skuId": "%04X-%04X-%04X" % (k, len(group), r % 65536), "description": desc,
                              "category": {"serviceDisplayName": "Compute Engine", "resourceFamily": "Compute",
                                           "resourceGroup": "CPU" if res == "Core" else "RAM", "usageType": ut},
                              "serviceRegions": [region],
                              "pricingInfo": [{"summary": "", "pricingExpression": {
                                  "usageUnit": unit, "displayQuantity": 1,
                                  "tieredRates": [{"startUsageAmount": 0, "unitPrice": {
                                      "currencyCode": "USD", "units": str(units), "nanos": nanos}}],
                                  "usageUnitDescription": "hour", "baseUnit": "s", "baseUnitDescription": "second",
                                  "baseUnitConversionFactor": 3600},
                                  "currencyConversionRate": 1, "effectiveTime": "2026-10-01T00:00:00.000Z"}],
                              "serviceProviderName": "Google",
                              "geoTaxonomy": {"type": "REGIONAL", "regions": [region]}})
        if len(skus) + len(group) > n:
            break
        skus += group
        # per unit: core + ram on demand, and each commitment term
        kept += 2 + 4
        # composed machine types: on demand, 1y, 3y
        kept += 3 * sum(len(v) for v in SHAPES[series].values())
    with open(out, "w") as f:
        json.dump({"skus": skus, "nextPageToken": ""}, f, separators=(",", ":"))
    print(kept)
elif kind == "aws":
    # an EC2 offer file, pretty-printed as AWS publishes it: per compute
    # product (Linux, shared tenancy, a region and a size of its own) an
    # OnDemand term (1 price kept) and two Reserved terms: 1yr standard No
    # Upfront (one Hrs dimension) and 3yr standard All Upfront (Quantity +
    # Hrs 0): 1 price kept each; and a storage product every 4th, whose
    # terms are written and not kept
    aws_regions = [("us-east-1", "US East (N. Virginia)"), ("us-west-2", "US West (Oregon)"),
                   ("eu-west-1", "EU (Ireland)"), ("eu-central-1", "EU (Frankfurt)"),
                   ("ap-southeast-1", "Asia Pacific (Singapore)"), ("ap-northeast-1", "Asia Pacific (Tokyo)")]
    fams = ["m5", "m6i", "c5", "c6i", "r5", "r6i", "t3", "m7g", "c7g", "r7g", "m5a", "c5a"]
    sizes = [("large", 2, 8, 4), ("xlarge", 4, 16, 8), ("2xlarge", 8, 32, 16), ("4xlarge", 16, 64, 32),
             ("8xlarge", 32, 128, 64), ("12xlarge", 48, 192, 96), ("16xlarge", 64, 256, 128)]
    combos = [(r, f, z) for r in aws_regions for f in fams for z in sizes]

    def sku_of(k):
        a = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
        return "".join(a[(k * 7919 + i * 104729 + (k >> i)) % len(a)] for i in range(12)) + "%04d" % (k % 10000)

    def dump(obj, level):
        t = json.dumps(obj, indent=2)
        return t.replace("\n", "\n" + "  " * level)

    prods, kept = [], 0
    for k in range(n):
        (rc, loc), fam, (size, vcpu, mem, nsf) = combos[k % len(combos)]
        gen = k // len(combos)
        if gen:
            fam = "%s%d" % (fam, gen)   # a size family of its own, so no two prices coincide
        it = "%s.%s" % (fam, size)
        sku = sku_of(k)
        if k % 4 == 3:
            prods.append((sku, {"sku": sku, "productFamily": "Storage", "attributes": {
                "servicecode": "AmazonEC2", "location": loc, "locationType": "AWS Region",
                "storageMedia": "SSD-backed", "volumeType": "General Purpose", "maxVolumeSize": "16 TiB",
                "usagetype": "EBS:VolumeUsage.gp2", "operation": "", "regionCode": rc,
                "servicename": "Amazon Elastic Compute Cloud"}}, None))
            continue
        hourly = (k % 997 + 1) * 0.0137 * vcpu
        prods.append((sku, {"sku": sku, "productFamily": "Compute Instance", "attributes": {
            "servicecode": "AmazonEC2", "location": loc, "locationType": "AWS Region", "instanceType": it,
            "currentGeneration": "Yes", "instanceFamily": "General purpose", "vcpu": str(vcpu),
            "physicalProcessor": "Intel Xeon Platinum 8175", "clockSpeed": "3.1 GHz", "memory": "%d GiB" % mem,
            "storage": "EBS only", "networkPerformance": "Up to 10 Gigabit", "processorArchitecture": "64-bit",
            "tenancy": "Shared", "operatingSystem": "Linux", "licenseModel": "No License required",
            "usagetype": "BoxUsage:" + it, "operation": "RunInstances", "availabilityzone": "NA",
            "capacitystatus": "Used", "classicnetworkingsupport": "false", "dedicatedEbsThroughput": "Up to 2120 Mbps",
            "ecu": "10", "enhancedNetworkingSupported": "Yes", "intelAvxAvailable": "Yes", "marketoption": "OnDemand",
            "normalizationSizeFactor": str(nsf), "preInstalledSw": "NA", "regionCode": rc,
            "servicename": "Amazon Elastic Compute Cloud", "vpcnetworkingsupport": "true"}}, hourly))
        kept += 3

    def dim(sku, code, rate, unit, price, desc):
        rcode = "%s.%s.%s" % (sku, code, rate)
        return rcode, {"rateCode": rcode, "description": desc, "beginRange": "0", "endRange": "Inf",
                       "unit": unit, "pricePerUnit": {"USD": "%.10f" % price}, "appliesTo": []}

    def term(sku, code, dims, attrs):
        return {"offerTermCode": code, "sku": sku, "effectiveDate": "2026-10-01T00:00:00Z",
                "priceDimensions": dict(dims), "termAttributes": attrs}

    with open(out, "w") as f:
        f.write('{\n  "formatVersion": "v1.0",\n  "disclaimer": "synthetic (bench/gen-prices-json.py)",\n'
                '  "offerCode": "AmazonEC2",\n  "version": "20261001000000",\n'
                '  "publicationDate": "2026-10-01T00:00:00Z",\n  "products": {\n')
        f.write(",\n".join("    %s: %s" % (json.dumps(s), dump(p, 2)) for s, p, _ in prods))
        f.write('\n  },\n  "terms": {\n    "OnDemand": {\n')
        od = []
        for s, p, h in prods:
            h = h if h is not None else 0.1
            u = "Hrs" if p["productFamily"] != "Storage" else "GB-Mo"
            od.append("      %s: %s" % (json.dumps(s), dump({s + ".JRTCKXETXF": term(
                s, "JRTCKXETXF", [dim(s, "JRTCKXETXF", "6YS6EN2CT7", u, h, "on demand")], {})}, 3)))
        f.write(",\n".join(od))
        f.write('\n    },\n    "Reserved": {\n')
        rs = []
        for s, p, h in prods:
            if h is None:
                continue
            t1 = term(s, "4NA7Y494T4", [dim(s, "4NA7Y494T4", "6YS6EN2CT7", "Hrs", h * 0.62, "1yr no upfront")],
                      {"LeaseContractLength": "1yr", "OfferingClass": "standard", "PurchaseOption": "No Upfront"})
            t3 = term(s, "NQ3QZPMQV9", [dim(s, "NQ3QZPMQV9", "2TG2D8R56U", "Quantity", round(h * 0.38 * 26280, 2), "upfront"),
                                         dim(s, "NQ3QZPMQV9", "6YS6EN2CT7", "Hrs", 0, "3yr all upfront")],
                      {"LeaseContractLength": "3yr", "OfferingClass": "standard", "PurchaseOption": "All Upfront"})
            rs.append("      %s: %s" % (json.dumps(s), dump({s + ".4NA7Y494T4": t1, s + ".NQ3QZPMQV9": t3}, 3)))
        f.write(",\n".join(rs))
        f.write('\n    }\n  },\n  "attributesList": {}\n}\n')
    print(kept)
else:
    sys.exit("gen-prices-json.py: azure|gcp|aws N OUT")
