/*
 * main.c - runs every Check suite of the unit tests.
 */
#include <stdlib.h>
#include <check.h>

Suite *decimal_suite(void);
Suite *table_suite(void);
Suite *timeparse_suite(void);
Suite *csvreader_suite(void);
Suite *importer_suite(void);
Suite *analyzers_suite(void);
Suite *vendors_suite(void);
Suite *formats_suite(void);
Suite *engine_suite(void);
Suite *report_suite(void);
Suite *rollups_suite(void);
Suite *jsonscan_suite(void);
Suite *prices_suite(void);
Suite *suggest_suite(void);
Suite *tags_suite(void);
Suite *parquet_suite(void);
Suite *allocation_suite(void);
Suite *options_suite(void);
Suite *dbcheck_suite(void);
Suite *textset_suite(void);
Suite *error_suite(void);

int
main(void)
{
	SRunner *sr = srunner_create(decimal_suite());
	int failed;

	srunner_add_suite(sr, table_suite());
	srunner_add_suite(sr, timeparse_suite());
	srunner_add_suite(sr, csvreader_suite());
	srunner_add_suite(sr, importer_suite());
	srunner_add_suite(sr, analyzers_suite());
	srunner_add_suite(sr, vendors_suite());
	srunner_add_suite(sr, formats_suite());
	srunner_add_suite(sr, engine_suite());
	srunner_add_suite(sr, report_suite());
	srunner_add_suite(sr, rollups_suite());
	srunner_add_suite(sr, options_suite());
	srunner_add_suite(sr, jsonscan_suite());
	srunner_add_suite(sr, prices_suite());
	srunner_add_suite(sr, suggest_suite());
	srunner_add_suite(sr, tags_suite());
	srunner_add_suite(sr, parquet_suite());
	srunner_add_suite(sr, allocation_suite());
	srunner_add_suite(sr, dbcheck_suite());
	srunner_add_suite(sr, textset_suite());
	srunner_add_suite(sr, error_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
