# mk/catalog.mk - the built-in pricing catalog (data/catalog.json).
#
# The JSON is compiled into the program as the C string ic_catalog_builtin
# (declared in analyzers/catalog.h): a generated source file under $(BUILD)
# (never in the tree), whose object is added to libimcost.a through
# CATALOG_OBJ, an extra prerequisite of the archive (its recipe archives
# $^, every prerequisite).  `make install` also copies the catalog to
# $(DESTDIR)$(PREFIX)/share/imcost/catalog.json for people to read or copy
# as a starting point for --pricing.

CATALOG_JSON := data/catalog.json
CATALOG_C    := $(BUILD)/gen/catalog-data.c
CATALOG_OBJ  := $(BUILD)/gen/catalog-data.o

$(BUILD)/libimcost.a: $(CATALOG_OBJ)

# Bytes as \xNN escapes in string literals (od is in coreutils), so any
# UTF-8 in the JSON survives whatever the signedness of char.
$(CATALOG_C): $(CATALOG_JSON) mk/catalog.mk
	@mkdir -p $(dir $@)
	@{ echo '/* generated from $(CATALOG_JSON) by mk/catalog.mk: do not edit */'; \
	  echo 'extern const char ic_catalog_builtin[];'; \
	  echo 'const char ic_catalog_builtin[] ='; \
	  od -An -v -tx1 $(CATALOG_JSON) | sed -e 's/  */ /g' -e 's/^ //' -e 's/ $$//' -e '/^$$/d' \
	    -e 's/\([0-9a-f][0-9a-f]\) */\\x\1/g' -e 's/^/"/' -e 's/$$/"/'; \
	  echo ';'; } >$@.tmp && mv $@.tmp $@

$(CATALOG_OBJ): $(CATALOG_C)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

.PHONY: install-catalog
install: install-catalog
install-catalog:
	install -d $(DESTDIR)$(PREFIX)/share/imcost
	install -m 644 $(CATALOG_JSON) $(DESTDIR)$(PREFIX)/share/imcost/catalog.json
