/*
 * savings.c - the savings the analyses found, summed by kind without
 * double counting, as the block `analyze` opens with and as JSON
 * savings{} (see savings.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "output/savings.h"

const char *const saving_kind_names[SAV_NKINDS] = {
	"commitments", "idle", "unused_commitments", "rightsizing"
};

static const char *const kind_labels[SAV_NKINDS] = {
	"Commitments to buy", "Idle resources", "Unused commitments", "Rightsizing"
};

static char *
dup_or_null(const char *s, int *bad)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		*bad = 1;
	return d;
}

int
savings_add(struct savings *sv, enum saving_kind kind, const char *currency, int64_t monthly,
	    const char *subject, const char *group, const char *action)
{
	struct saving *x;
	int bad = 0;

	if (sv == NULL || monthly <= 0)
		return 0;
	/* to whole micro-units, as JSON prints them, so that the totals
	 * equal the sums of what is printed */
	monthly = monthly > INT64_MAX - 500 ? monthly : (monthly + 500) / 1000 * 1000;
	if (sv->n == sv->cap) {
		int ncap = sv->cap ? sv->cap * 2 : 32;
		struct saving *ns = realloc(sv->s, (size_t)ncap * sizeof *ns);
		if (ns == NULL) {
			sv->oom = 1;
			return -1;
		}
		sv->s = ns;
		sv->cap = ncap;
	}
	x = &sv->s[sv->n];
	memset(x, 0, sizeof *x);
	x->kind = kind;
	x->monthly = monthly;
	snprintf(x->currency, sizeof x->currency, "%s", currency ? currency : "");
	x->subject = dup_or_null(subject ? subject : "", &bad);
	x->action = dup_or_null(action ? action : "", &bad);
	x->group = dup_or_null(group, &bad);
	x->counted = 1;
	sv->n++;
	if (bad) {
		sv->oom = 1;
		return -1;
	}
	return 0;
}

void
savings_group(const char *region, const char *itype, char *buf, size_t size)
{
	const char *dot;
	int n;

	if (itype == NULL)
		itype = "";
	dot = strchr(itype, '.');
	n = dot ? (int)(dot - itype) : (int)strlen(itype);
	snprintf(buf, size, "%s|%.*s", region ? region : "", n, itype);
}

static int
cmp_saving(const void *a, const void *b)
{
	const struct saving *x = a, *y = b;

	if (x->counted != y->counted)
		return x->counted ? -1 : 1;
	if (x->monthly != y->monthly)
		return x->monthly > y->monthly ? -1 : 1;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return strcmp(x->subject, y->subject);
}

void
savings_finish(struct savings *sv)
{
	for (int i = 0; i < sv->n; i++) {
		struct saving *x = &sv->s[i];
		if (x->kind != SAV_RIGHTSIZING || x->group == NULL)
			continue;
		for (int j = 0; j < sv->n; j++)
			if (sv->s[j].kind == SAV_COMMITMENTS && sv->s[j].group &&
			    strcmp(sv->s[j].group, x->group) == 0 &&
			    strcmp(sv->s[j].currency, x->currency) == 0) {
				x->counted = 0;
				break;
			}
	}
	if (sv->n > 1)
		qsort(sv->s, (size_t)sv->n, sizeof *sv->s, cmp_saving);
}

int64_t
savings_total(const struct savings *sv, int kind, const char *currency)
{
	int64_t t = 0;

	for (int i = 0; i < sv->n; i++)
		if (sv->s[i].counted && (kind < 0 || (int)sv->s[i].kind == kind) &&
		    (currency == NULL || strcmp(sv->s[i].currency, currency) == 0))
			t += sv->s[i].monthly;
	return t;
}

static long
savings_items(const struct savings *sv, int kind, const char *currency)
{
	long n = 0;

	for (int i = 0; i < sv->n; i++)
		if (sv->s[i].counted && (int)sv->s[i].kind == kind &&
		    strcmp(sv->s[i].currency, currency) == 0)
			n++;
	return n;
}

const char *
savings_main_currency(const struct savings *sv)
{
	const char *best = NULL;
	int64_t bt = -1;

	for (int i = 0; i < sv->n; i++) {
		int64_t t;
		if (!sv->s[i].counted)
			continue;
		t = savings_total(sv, -1, sv->s[i].currency);
		if (t > bt) {
			bt = t;
			best = sv->s[i].currency;
		}
	}
	return best;
}

/* Was the analysis of kind k run? */
static int
kind_ran(const struct savings *sv, int k)
{
	return (sv->ran >> k) & 1u;
}

/* one currency's savings{} fields into o; 0 or -1 on ENOMEM */
static int
currency_json(const struct savings *sv, const char *cur, int top, cJSON *o)
{
	cJSON *bk, *ta, *nc;
	int shown = 0, bad = 0;

	bad |= sv->ran == 0 ? !cJSON_AddNullToObject(o, "total_monthly") :
	       !cJSON_AddItemToObject(o, "total_monthly", json_money(savings_total(sv, -1, cur)));
	bad |= cur ? !cJSON_AddStringToObject(o, "currency", cur) : !cJSON_AddNullToObject(o, "currency");
	bk = cJSON_AddArrayToObject(o, "by_kind");
	ta = cJSON_AddArrayToObject(o, "top_actions");
	nc = cJSON_AddArrayToObject(o, "not_counted");
	if (bad || !bk || !ta || !nc)
		return -1;
	for (int k = 0; k < SAV_NKINDS; k++) {
		cJSON *it = cJSON_CreateObject();
		if (it == NULL || !cJSON_AddItemToArray(bk, it))
			return -1;
		bad |= !cJSON_AddStringToObject(it, "kind", saving_kind_names[k]);
		if (kind_ran(sv, k)) {
			bad |= !cJSON_AddItemToObject(it, "monthly_savings",
						      json_money(cur ? savings_total(sv, k, cur) : 0));
			bad |= !cJSON_AddNumberToObject(it, "items",
							cur ? (double)savings_items(sv, k, cur) : 0);
		} else {
			bad |= !cJSON_AddNullToObject(it, "monthly_savings");
			bad |= !cJSON_AddNullToObject(it, "items");
		}
		bad |= !cJSON_AddBoolToObject(it, "ran", kind_ran(sv, k));
	}
	for (int i = 0; cur && i < sv->n; i++) {
		const struct saving *x = &sv->s[i];
		cJSON *it, *dst;
		if (strcmp(x->currency, cur) != 0)
			continue;
		if (x->counted && shown >= top)
			continue;
		dst = x->counted ? ta : nc;
		if (x->counted)
			shown++;
		it = cJSON_CreateObject();
		if (it == NULL || !cJSON_AddItemToArray(dst, it))
			return -1;
		bad |= !cJSON_AddStringToObject(it, "kind", saving_kind_names[x->kind]);
		bad |= !cJSON_AddStringToObject(it, "subject", x->subject);
		bad |= !cJSON_AddItemToObject(it, "monthly_savings", json_money(x->monthly));
		bad |= !cJSON_AddStringToObject(it, "action", x->action);
	}
	return bad ? -1 : 0;
}

cJSON *
savings_json(const struct savings *sv, int top, const char *fallback_currency)
{
	const char *main = savings_main_currency(sv);
	cJSON *o = cJSON_CreateObject(), *others = NULL;

	if (o == NULL)
		return NULL;
	if (currency_json(sv, main ? main : fallback_currency, main ? top : 0, o) != 0 ||
	    !cJSON_AddNumberToObject(o, "hours_per_month", 730) ||
	    !cJSON_AddStringToObject(o, "rule", SAVINGS_RULE) ||
	    (others = cJSON_AddArrayToObject(o, "other_currencies")) == NULL)
		goto fail;
	for (int i = 0; main && i < sv->n; i++) {
		const char *cur = sv->s[i].currency;
		int seen = strcmp(cur, main) == 0;
		cJSON *it;
		for (int j = 0; j < i && !seen; j++)
			seen = strcmp(sv->s[j].currency, cur) == 0;
		if (seen || savings_total(sv, -1, cur) <= 0)
			continue;
		it = cJSON_CreateObject();
		if (it == NULL || !cJSON_AddItemToArray(others, it) || currency_json(sv, cur, top, it) != 0)
			goto fail;
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

/* Write s cut to width display columns ("…" at the cut; 0: no cut). */
static void
put_fit(FILE *out, const char *s, int width)
{
	char buf[1024];

	if (width <= 0) {
		fputs(s, out);
		return;
	}
	text_fit(s, (size_t)width, buf, sizeof buf);
	fputs(buf, out);
}

/* One line "prefix text" into out, cut at width; control bytes print as
 * spaces. */
static void
line_fit(FILE *out, int width, const char *fmt_prefix, const char *text)
{
	char line[1024];

	snprintf(line, sizeof line, "%s%s", fmt_prefix, text);
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	put_fit(out, line, width);
	fputc('\n', out);
}

/* Markdown: the characters that would make a link, code or HTML of data
 * backslash-escaped (as table.c does), into buf. */
static const char *
md_escape(const char *s, char *buf, size_t size)
{
	size_t o = 0;

	for (; *s && o + 3 < size; s++) {
		if (strchr("\\`[]<>|*_", *s) != NULL)
			buf[o++] = '\\';
		buf[o++] = *s;
	}
	buf[o] = '\0';
	return buf;
}

int
savings_print(const struct savings *sv, const cJSON *assess, int top, FILE *out,
	      enum out_format fmt, int width)
{
	const char *main = savings_main_currency(sv);
	int md = fmt == FMT_MARKDOWN, shown = 0, notcounted = 0;
	char a[48], line[1024];
	const cJSON *it;

	if (fmt != FMT_TABLE && fmt != FMT_MARKDOWN)
		return 0;
	if (main == NULL) {
		int all = 1;
		for (int k = 0; k < SAV_NKINDS; k++)
			all &= kind_ran(sv, k);
		fputs(md ? "## Savings found: none" : "Savings found: none", out);
		fputs(all ? "" : " (some analyses were not run: --only)", out);
		fputs(md ? "\n\n" : "\n", out);
	} else {
		snprintf(line, sizeof line, "%sSavings found: %s %s a month", md ? "## " : "",
			 money_format(savings_total(sv, -1, main), 2, 1, a), main);
		if (!md && table_color()) {
			/* the headline in bold green (table.h: colour only on a terminal) */
			char fitted[1024];
			text_fit(line, width > 0 ? (size_t)width : sizeof fitted, fitted, sizeof fitted);
			fprintf(out, "\033[1;32m%s\033[0m\n", fitted);
		} else {
			line_fit(out, width, "", line);
		}
		if (md)
			fputc('\n', out);
		for (int k = 0; k < SAV_NKINDS; k++) {
			long n = savings_items(sv, k, main);
			if (kind_ran(sv, k))
				snprintf(line, sizeof line, md ? "- **%s**: %s %s (%ld)" :
					 "  %-20s %10s %s  (%ld)", kind_labels[k],
					 money_format(savings_total(sv, k, main), 2, 1, a), main, n);
			else
				snprintf(line, sizeof line, md ? "- **%s**: not run (--only)" :
					 "  %-20s not run (--only)", kind_labels[k]);
			line_fit(out, width, "", line);
		}
		/* other currencies: one line each, never added to the main one */
		for (int i = 0; i < sv->n; i++) {
			const char *cur = sv->s[i].currency;
			int seen = strcmp(cur, main) == 0;
			for (int j = 0; j < i && !seen; j++)
				seen = strcmp(sv->s[j].currency, cur) == 0;
			if (seen || savings_total(sv, -1, cur) <= 0)
				continue;
			snprintf(line, sizeof line, md ? "- **Also**: %s %s a month (not added: another"
				 " currency)" : "  %-20s %12s %s  (not added: another currency)",
				 md ? money_format(savings_total(sv, -1, cur), 2, 1, a) : "Also",
				 md ? cur : money_format(savings_total(sv, -1, cur), 2, 1, a), md ? "" : cur);
			line_fit(out, width, "", line);
		}
		fputs(md ? "\n**Top actions** (a month)\n\n" : "Top actions (a month)\n", out);
		for (int i = 0; i < sv->n; i++) {
			const struct saving *x = &sv->s[i];
			if (!x->counted) {
				notcounted++;
				continue;
			}
			if (shown >= top)
				continue;
			shown++;
			{
				char subj[512] = "";
				/* on a terminal, a long id keeps its ends in 40 columns */
				if (x->subject[0] && x->kind != SAV_COMMITMENTS)
					text_shorten_id(x->subject, width > 0 ? 40 : sizeof subj - 1, subj,
							sizeof subj);
				char ea[512], es[1024];
				snprintf(line, sizeof line, md ? "%d. %s %s: %s%s%s" : "  %d. %10s %s  %s%s%s",
					 shown, money_format(x->monthly, 2, 1, a), x->currency,
					 md ? md_escape(x->action, ea, sizeof ea) : x->action,
					 subj[0] ? ": " : "", md ? md_escape(subj, es, sizeof es) : subj);
			}
			line_fit(out, width, "", line);
		}
	}
	/* what could not be looked at */
	{
		int first = 1;
		cJSON_ArrayForEach(it, assess) {
			double na = cJSON_GetNumberValue(cJSON_GetObjectItem(it, "not_assessed"));
			const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(it, "reason"));
			if (!(na > 0))
				continue;
			if (first)
				fputs(md ? "\n**Not assessed** (details at the end)\n\n" :
				      "Not assessed (details at the end)\n", out);
			first = 0;
			snprintf(line, sizeof line, "%s%s %s: %.0f of %.0f: %s", md ? "- " : "  ",
				 cJSON_GetStringValue(cJSON_GetObjectItem(it, "analysis")),
				 cJSON_GetStringValue(cJSON_GetObjectItem(it, "kind")), na,
				 cJSON_GetNumberValue(cJSON_GetObjectItem(it, "eligible")), why ? why : "");
			line_fit(out, width, "", line);
		}
	}
	if (md)
		fputc('\n', out);
	snprintf(line, sizeof line, "%sMonthly = 730 hours. Not double counted: %s%s%s", md ? "_" : "  ",
		 SAVINGS_RULE, notcounted ? "" : ".", md ? "_" : "");
	if (notcounted) {
		size_t n = strlen(line);
		if (md && n > 0)
			line[--n] = '\0';
		snprintf(line + n, sizeof line - n, " (%d rightsizing item(s) not added).%s", notcounted,
			 md ? "_" : "");
	}
	line_fit(out, width, "", line);
	if (md)
		fputc('\n', out);
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}

void
savings_free(struct savings *sv)
{
	if (sv == NULL)
		return;
	for (int i = 0; i < sv->n; i++) {
		free(sv->s[i].subject);
		free(sv->s[i].action);
		free(sv->s[i].group);
	}
	free(sv->s);
	memset(sv, 0, sizeof *sv);
}
