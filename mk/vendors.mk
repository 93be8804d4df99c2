# vendors.mk - compile data/vendors.json (the built-in vendor catalog of
# `imcost vendors` and `imcost levers`) into the binary as a C array.
#
# $(BUILD)/gen/vendors_json.c defines
#   const char imcost_vendors_json[];      the file's bytes, NUL-terminated
#   const size_t imcost_vendors_json_len;  their count (without the NUL)
# and its object is added to libimcost.a, so ./imcost and the unit tests
# link it with no extra variable.  Generated with od and sed only.

VENDORS_JSON_C := $(BUILD)/gen/vendors_json.c
VENDORS_JSON_O := $(BUILD)/gen/vendors_json.o

$(VENDORS_JSON_C): data/vendors.json mk/vendors.mk
	@mkdir -p $(dir $@)
	{ echo '/* generated from data/vendors.json by mk/vendors.mk: do not edit */'; \
	  echo '#include <stddef.h>'; \
	  echo 'extern const char imcost_vendors_json[];'; \
	  echo 'extern const size_t imcost_vendors_json_len;'; \
	  echo 'const char imcost_vendors_json[] = {'; \
	  od -An -v -tx1 data/vendors.json | sed -e 's/[0-9a-f][0-9a-f]/0x&,/g'; \
	  echo '0x00 };'; \
	  echo 'const size_t imcost_vendors_json_len = sizeof imcost_vendors_json - 1;'; } > $@.tmp
	mv $@.tmp $@

$(VENDORS_JSON_O): $(VENDORS_JSON_C)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libimcost.a: $(VENDORS_JSON_O)
