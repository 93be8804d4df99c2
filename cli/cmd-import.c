/*
 * cmd-import.c - imcost import [--as FORMAT] FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/db.h"
#include "common/engine.h"
#include "importers/engine-import.h"
#include "common/decimal.h"
#include "common/timeparse.h"
#include "importers/import.h"
#include "importers/importer.h"
#include "importers/manifest.h"

/* import --date-slack DAYS, or -1 for the default (import_opts) */
static int date_slack_days = -1;
/* import --replace / --add (import_opts.restate) */
static int restate_opt;

static enum exit_code import_list(struct cli *cli, const char *as, char **files, int nfiles,
				  const char *label, int64_t *start, int64_t *end);

static void
print_result(const struct cli *cli, const char *path, const struct import_result *r)
{
	char a[48], b[48], m1[32], m2[32];

	for (int i = 0; i < r->nwarnings; i++) {
		const struct import_warning *w = &r->warnings[i];
		const char *unit = w->unit ? w->unit : "row";
		char col[32] = "";

		if (w->first_col > 0)
			snprintf(col, sizeof col, ", column %ld", w->first_col);
		if (w->first_line <= 0)
			cli_warn(cli, "%s: %s (%ld %s%s)", path, w->msg, w->count, unit,
				 w->count == 1 ? "" : "s");
		else
			cli_warn(cli, "%s: %s (%ld %s%s, first at line %ld%s)", path, w->msg, w->count,
				 unit, w->count == 1 ? "" : "s", w->first_line, col);
	}
	if (cli->quiet)
		return;
	if (r->header_only) {
		fprintf(stderr, "%s: nothing imported (a header and no records)\n", path);
		return;
	}
	if (r->unchanged) {
		fprintf(stderr, "%s: unchanged (same content as import #%lld)\n", path,
			(long long)r->same_as);
		return;
	}
	fprintf(stderr, "imported %s: %s, %ld record%s -> %ld %s%s", path, r->format, r->records,
		r->records == 1 ? "" : "s", r->rows, r->prices ? "price" : "row", r->rows == 1 ? "" : "s");
	if (r->period_start) {
		month_format(r->period_start, m1);
		month_format(r->period_end - 1, m2);
		if (strcmp(m1, m2) == 0)
			fprintf(stderr, ", billing period %s", m1);
		else
			fprintf(stderr, ", billing periods %s..%s", m1, m2);
	}
	if (r->currency[0])
		fprintf(stderr, ", %s billed %s effective %s%s", r->currency,
			money_format(r->billed, 2, 1, a), money_format(r->effective, 2, 1, b),
			r->ncurrencies > 1 ? " (+ other currencies)" : "");
	if (r->replaced && r->prices)
		fprintf(stderr, ", replaced %d older price list publication%s", r->replaced,
			r->replaced == 1 ? "" : "s");
	else if (r->replaced)
		fprintf(stderr, ", replaced %d earlier period import%s", r->replaced,
			r->replaced == 1 ? "" : "s");
	fputc('\n', stderr);
}

static cJSON *
result_json(const char *path, const struct import_result *r)
{
	cJSON *o = cJSON_CreateObject();
	char m[32];

	cJSON_AddStringToObject(o, "file", path);
	cJSON_AddNumberToObject(o, "import_id", (double)r->import_id);
	cJSON_AddStringToObject(o, "format", r->format ? r->format : "");
	cJSON_AddBoolToObject(o, "unchanged", r->unchanged);
	cJSON_AddBoolToObject(o, "header_only", r->header_only);
	cJSON_AddNumberToObject(o, "records", (double)r->records);
	cJSON_AddNumberToObject(o, "rows", (double)r->rows);
	cJSON_AddStringToObject(o, "sha256", r->sha256);
	if (r->period_start) {
		cJSON_AddStringToObject(o, "period_start", date_format(r->period_start, m));
		cJSON_AddStringToObject(o, "period_end", date_format(r->period_end, m));
	}
	if (r->currency[0]) {
		cJSON_AddStringToObject(o, "currency", r->currency);
		cJSON_AddItemToObject(o, "billed_cost", json_money(r->billed));
		cJSON_AddItemToObject(o, "effective_cost", json_money(r->effective));
	}
	cJSON_AddNumberToObject(o, "replaced", r->replaced);
	cJSON_AddNumberToObject(o, "warnings", r->nwarnings);
	return o;
}

/* Replace CUR manifests in argv by the parts they list.  Returns the new
 * list (owned, free with free_list) or NULL with cli->err set. */
static char **
expand_manifests(struct cli *cli, char **args, int nargs, int *nout, char **label)
{
	char **list = NULL;
	int n = 0, cap = 0;

	*label = NULL;
	for (int i = 0; i < nargs; i++) {
		struct manifest m;
		int r = manifest_read(args[i], &m, &cli->err);
		int add = r == 1 ? m.nfiles : 1;

		if (r < 0)
			goto fail;
		if (n + add > cap) {
			char **nl;
			cap = (n + add) * 2;
			nl = realloc(list, (size_t)cap * sizeof *nl);
			if (nl == NULL) {
				if (r == 1)
					manifest_free(&m);
				ic_errorf(&cli->err, "out of memory");
				goto fail;
			}
			list = nl;
		}
		if (r == 1) {
			for (int k = 0; k < m.nfiles; k++) {
				list[n++] = m.files[k];
				m.files[k] = NULL;
			}
			m.nfiles = 0;
			if (*label == NULL) {
				*label = m.assembly_id;
				m.assembly_id = NULL;
			}
			manifest_free(&m);
		} else if ((list[n++] = strdup(args[i])) == NULL) {
			ic_errorf(&cli->err, "out of memory");
			goto fail;
		}
	}
	*nout = n;
	return list;
fail:
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	free(*label);
	*label = NULL;
	return NULL;
}

enum exit_code
import_files(struct cli *cli, const char *as, char **args, int nargs, int64_t *start,
	     int64_t *end)
{
	char *label = NULL;
	int nfiles = 0;
	char **files = expand_manifests(cli, args, nargs, &nfiles, &label);
	enum exit_code rc;

	if (files == NULL)
		return EXIT_FAIL;
	rc = import_list(cli, as, files, nfiles, label, start, end);
	for (int i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(label);
	return rc;
}

static enum exit_code
import_list(struct cli *cli, const char *as, char **files, int nfiles, const char *label,
	    int64_t *start, int64_t *end)
{
	struct import_opts o;
	struct import_session *s = NULL;
	struct import_result *res = NULL;
	sqlite3 *db = NULL;
	enum exit_code rc = EXIT_OK;
	int done = 0, created;

	memset(&o, 0, sizeof o);
	o.as = as;
	o.label = label;
	o.date_slack_days = date_slack_days;
	o.date_slack_set = date_slack_days >= 0;
	o.restate = restate_opt;
	if (start)
		*start = *end = 0;
	if (as && importer_find(as) == NULL) {
		ic_errorf(&cli->err, "import: unknown format '%s' (imcost formats lists them)", as);
		return EXIT_USAGE;
	}
	res = calloc((size_t)nfiles, sizeof *res);
	if (res == NULL) {
		ic_errorf(&cli->err, "out of memory");
		return EXIT_FAIL;
	}
	/* a first import that fails leaves no database behind */
	created = access(cli->db_path, F_OK) != 0;
	db = db_open(cli->db_path, DB_WRITE, &cli->err);
	if (db == NULL) {
		if (created)
			db_remove_files(cli->db_path);
		free(res);
		return EXIT_FAIL;
	}
	s = import_session_new(db, &o, nfiles);
	if (s == NULL) {
		ic_errorf(&cli->err, "out of memory");
		rc = EXIT_FAIL;
		goto out;
	}
	for (; done < nfiles; done++) {
		struct progress p = { cli, files[done], 0 };
		int r;

		import_session_set_progress(s, progress_cb, &p);
		r = import_file(s, files[done], &res[done], &cli->err);
		progress_done(&p);
		if (r != 0) {
			rc = EXIT_FAIL;
			break;
		}
	}
	if (rc == EXIT_OK && import_session_commit(s, &cli->err) != 0)
		rc = EXIT_FAIL;
	if (rc != EXIT_OK) {
		if (nfiles > 1) {
			size_t n = strlen(cli->err.msg);
			snprintf(cli->err.msg + n, sizeof cli->err.msg - n,
				 " (nothing of this command was imported)");
		}
		goto out;
	}
	for (int i = 0; i < nfiles; i++) {
		print_result(cli, files[i], &res[i]);
		if (start && res[i].period_start) {
			if (*start == 0 || res[i].period_start < *start)
				*start = res[i].period_start;
			if (res[i].period_end > *end)
				*end = res[i].period_end;
		}
	}
	if (cli->fmt == FMT_JSON && start == NULL) {
		cJSON *arr = cJSON_CreateArray();
		char *txt;

		for (int i = 0; arr && i < nfiles; i++)
			cJSON_AddItemToArray(arr, result_json(files[i], &res[i]));
		txt = arr ? cJSON_Print(arr) : NULL;
		if (txt)
			puts(txt);
		cJSON_free(txt);
		cJSON_Delete(arr);
	}
out:
	import_session_free(s);
	db_close(db);
	if (rc != EXIT_OK && created)
		db_remove_files(cli->db_path);
	free(res);
	return rc;
}

/*
 * import --engine URL with a remote engine: the same files, importers and
 * rules through importers/engine-import.c.  Prints what import_list
 * prints.
 */
/* The error for a price list given to import --engine. */
static void
refuse_price_list(struct cli *cli, const char *file, const char *format)
{
	ic_errorf(&cli->err, "%s: a price list (%s) is not imported into an --engine: price lists"
		  " live in the local database, where analyze --engine reads them; import it there:"
		  " imcost --db %s import %s", file, format ? format : "?", cli->db_path, file);
}

static enum exit_code
engine_import_list(struct cli *cli, const char *url, const char *as, char **args, int nargs)
{
	struct import_opts o;
	struct engine *e = NULL;
	struct engine_import *s = NULL;
	struct import_result *res = NULL;
	char *label = NULL, **files;
	int nfiles = 0, done = 0;
	enum exit_code rc = EXIT_OK;

	if (as && importer_find(as) == NULL) {
		ic_errorf(&cli->err, "import: unknown format '%s' (imcost formats lists them)", as);
		return EXIT_USAGE;
	}
	files = expand_manifests(cli, args, nargs, &nfiles, &label);
	if (files == NULL)
		return EXIT_FAIL;
	memset(&o, 0, sizeof o);
	o.as = as;
	o.label = label;
	o.date_slack_days = date_slack_days;
	o.date_slack_set = date_slack_days >= 0;
	o.restate = restate_opt;
	res = calloc((size_t)nfiles, sizeof *res);
	if (res == NULL) {
		ic_errorf(&cli->err, "out of memory");
		rc = EXIT_FAIL;
		goto out;
	}
	/* price lists live in the local database whatever the engine
	 * (analyzers/pricebook.h): refuse them before reaching the engine */
	for (int i = 0; i < nfiles; i++) {
		const struct importer *imp = import_sniff(files[i], as);
		if (imp && imp->kind == KIND_PRICES) {
			refuse_price_list(cli, files[i], imp->name);
			rc = EXIT_FAIL;
			goto out;
		}
	}
	e = engine_open(url, DB_WRITE, &cli->err);
	if (e == NULL) {
		rc = cli->err.usage ? EXIT_USAGE : EXIT_FAIL;
		goto out;
	}
	s = engine_import_new(e, &o, nfiles);
	if (s == NULL) {
		ic_errorf(&cli->err, "out of memory");
		rc = EXIT_FAIL;
		goto out;
	}
	for (; done < nfiles; done++) {
		struct progress p = { cli, files[done], 0 };
		int r;

		engine_import_set_progress(s, progress_cb, &p);
		r = engine_import_file(s, files[done], &res[done], &cli->err);
		progress_done(&p);
		if (r != 0) {
			if (res[done].prices)	/* a JSON price list, told by reading it */
				refuse_price_list(cli, files[done], res[done].format);
			rc = EXIT_FAIL;
			break;
		}
	}
	if (rc == EXIT_OK && engine_import_commit(s, &cli->err) != 0)
		rc = EXIT_FAIL;
	if (rc != EXIT_OK) {
		if (nfiles > 1) {
			size_t n = strlen(cli->err.msg);
			snprintf(cli->err.msg + n, sizeof cli->err.msg - n,
				 " (nothing of this command was imported)");
		}
		goto out;
	}
	for (int i = 0; i < nfiles; i++)
		print_result(cli, files[i], &res[i]);
	if (cli->fmt == FMT_JSON) {
		cJSON *arr = cJSON_CreateArray();
		char *txt;

		for (int i = 0; arr && i < nfiles; i++)
			cJSON_AddItemToArray(arr, result_json(files[i], &res[i]));
		txt = arr ? cJSON_Print(arr) : NULL;
		if (txt)
			puts(txt);
		cJSON_free(txt);
		cJSON_Delete(arr);
	}
out:
	engine_import_free(s);
	engine_close(e);
	free(res);
	for (int i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(label);
	return rc;
}

static enum exit_code
import_exec(struct cli *cli, int argc, char **argv)
{
	const char *as = NULL, *url = NULL;
	int i = 1;

	for (; i < argc; i++) {
		if (strcmp(argv[i], "--engine") == 0) {
			if (i + 1 >= argc)
				return usage_error(cli, &cmd_import_entry, "--engine needs a URL");
			url = argv[++i];
		} else if (strncmp(argv[i], "--engine=", 9) == 0) {
			url = argv[i] + 9;
		} else if (strcmp(argv[i], "--date-slack") == 0 ||
			   strncmp(argv[i], "--date-slack=", 13) == 0) {
			const char *v = argv[i][12] == '=' ? argv[i] + 13 : i + 1 < argc ? argv[++i] : NULL;
			char *end = NULL;
			long d = v ? strtol(v, &end, 10) : -1;
			if (v == NULL || end == v || *end != '\0' || d < 0 || d > 366)
				return usage_error(cli, &cmd_import_entry,
						   "--date-slack needs a number of days from 0 to 366");
			date_slack_days = (int)d;
		} else if (strcmp(argv[i], "--replace") == 0 || strcmp(argv[i], "--add") == 0) {
			int want = argv[i][2] == 'r' ? RESTATE_FORCE_PERIOD : RESTATE_FORCE_ADD;
			if (restate_opt && restate_opt != want)
				return usage_error(cli, &cmd_import_entry,
						   "--replace and --add exclude each other");
			restate_opt = want;
		} else if (strcmp(argv[i], "--as") == 0) {
			if (i + 1 >= argc)
				return usage_error(cli, &cmd_import_entry, "--as needs a format name");
			as = argv[++i];
		} else if (strncmp(argv[i], "--as=", 5) == 0) {
			as = argv[i] + 5;
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			return usage_error(cli, &cmd_import_entry, "unknown option '%s'", argv[i]);
		} else {
			break;
		}
	}
	if (i >= argc)
		return usage_error(cli, &cmd_import_entry, "no files to import");
	if (url) {
		struct engine_url u;
		if (engine_url_parse(url, &u, &cli->err) != 0)
			return EXIT_USAGE;
		if (u.kind != ENGINE_SQLITE)
			return engine_import_list(cli, url, as, argv + i, argc - i);
		/* sqlite:PATH is --db PATH for this command */
		{
			static char path[sizeof u.path];
			memcpy(path, u.path, sizeof path);
			cli->db_path = path;
		}
	}
	return import_files(cli, as, argv + i, argc - i, NULL, NULL);
}

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.usage = "[--as FORMAT] [--date-slack DAYS] [--replace|--add] [--engine URL] FILE...",
	.summary = "import billing exports and usage logs into the database",
	.help =
	"Files: .csv, .csv.gz (gzip is recognised by content), .json, JSON lines,\n"
	"- for stdin, or an AWS CUR manifest (NAME-Manifest.json): its parts are\n"
	"imported as one batch labelled with its assemblyId.\n"
	"The format is detected from the header; --as FORMAT forces one\n"
	"(imcost formats lists them).\n\n"
	"Dates: a billing period must lie in the years 2000 to 2099 and be at\n"
	"most a month long (a longer one is refused: export or split it per\n"
	"month); a boundary written with an offset, 2026-10-01T00:00:00+08:00,\n"
	"is read as the UTC month start it names.  A charge period may start or\n"
	"end at most --date-slack DAYS (default 3) outside its billing period\n"
	"(late and cross-over rows); anything further is refused.\n\n"
	"Each file is one transaction: it is imported whole or not at all.\n"
	"The files of one command form one batch; the parts of one batch add up.\n"
	"A file replaces, in earlier batches of the same provider and billing\n"
	"account, what it is a complete copy of (README \"Replacement rules\"):\n"
	"  AWS CUR, Data Exports, Alibaba, Tencent CSV: each billing period\n"
	"  FOCUS, Azure: in each billing period, the span of its charge starts\n"
	"  GCP: the span of its usage starts, any invoice month (files of\n"
	"       disjoint usage windows add up; an overlap replaces only itself)\n"
	"  Tencent API pages: nothing (added, with a warning on overlap)\n"
	"--replace replaces whole billing periods whatever the format; --add\n"
	"replaces nothing.  Replaced rows are kept until their replacement is\n"
	"itself replaced: imcost forget IMPORT puts them back.  Content already\n"
	"imported and current (same SHA-256, compressed or not, any name)\n"
	"changes nothing; replaced content imported again is current again.\n\n"
	"Prints one line per file on stderr; with --format json, a JSON array\n"
	"of results on stdout.\n\n"
	"--engine URL imports into another engine instead of the SQLite file:\n"
	"clickhouse://HOST:PORT/DB[?cluster=NAME] (through clickhouse-client) or\n"
	"postgresql://HOST:PORT/DB (through psql), with the same rules; the\n"
	"command's files become visible together when it succeeds.  sqlite:PATH\n"
	"is the same as --db PATH.\n",
	.exec = import_exec,
};
