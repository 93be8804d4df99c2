# report.mk - make report-demo: the monthly report (imcost report) of two
# generated months of an IM service, and the README's screenshot of it.
#
#   make report-demo   writes demo/report/ (database, generated CUR months,
#                      and the report of 2026-10 in demo/report/2026-10/),
#                      then docs/report-screenshot.png when chromium is
#                      installed (Debian package chromium), reduced to 96
#                      colours (about 150 KB) when ImageMagick's convert is

REPORT_DEMO := demo/report

.PHONY: report-demo
report-demo: deps
	@$(MAKE) --no-print-directory imcost $(BUILD)/gen-cur
	rm -rf $(REPORT_DEMO) && mkdir -p $(REPORT_DEMO)
	$(BUILD)/gen-cur --rows 40000 --month 2026-09 --seed 5 --out $(REPORT_DEMO)/cur-2026-09.csv \
		--metrics $(REPORT_DEMO)/usage-2026-09.csv
	$(BUILD)/gen-cur --rows 50000 --month 2026-10 --seed 7 --out $(REPORT_DEMO)/cur-2026-10.csv \
		--metrics $(REPORT_DEMO)/usage-2026-10.csv
	./imcost --db $(REPORT_DEMO)/imcost.db import $(REPORT_DEMO)/cur-2026-09.csv \
		$(REPORT_DEMO)/usage-2026-09.csv $(REPORT_DEMO)/cur-2026-10.csv $(REPORT_DEMO)/usage-2026-10.csv
	./imcost --db $(REPORT_DEMO)/imcost.db report --month 2026-10 --out $(REPORT_DEMO)/2026-10
	@if command -v chromium >/dev/null 2>&1; then \
		prof=$$(mktemp -d); mkdir -p docs; \
		chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--hide-scrollbars --user-data-dir=$$prof --screenshot=$(CURDIR)/docs/report-screenshot.png \
			--window-size=1200,1800 file://$(CURDIR)/$(REPORT_DEMO)/2026-10/report.html \
			>/dev/null 2>&1; rm -rf $$prof; \
		if command -v convert >/dev/null 2>&1; then \
			convert docs/report-screenshot.png -strip -colors 96 PNG8:docs/report-screenshot.png; \
		fi; \
		echo "docs/report-screenshot.png"; \
	else \
		echo "report-demo: chromium not installed: no docs/report-screenshot.png" >&2; \
	fi
