/*
 * suggest.c - edit distances for "did you mean" (see suggest.h).
 */
#include <string.h>

#include "common/suggest.h"

#define SUGGEST_MAX 64

int
suggest_distance(const char *a, const char *b)
{
	int d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];
	size_t la = strlen(a), lb = strlen(b);

	if (la > SUGGEST_MAX || lb > SUGGEST_MAX)
		return 1 << 20;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

size_t
suggest_nearest(const char *word, const char *const *known, size_t n, size_t *out, size_t max)
{
	size_t lw = strlen(word), nout = 0, nprefix = 0, prefix = 0;
	int best = 1 << 20;

	if (lw == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		size_t lk = strlen(known[i]);
		size_t longer = lk > lw ? lk : lw;
		int dist = suggest_distance(word, known[i]);

		if (lk > lw && strncmp(word, known[i], lw) == 0) {
			nprefix++;
			prefix = i;
		}
		if (dist > 2 || (size_t)dist * 2 >= longer)
			continue;
		if (dist < best) {
			best = dist;
			nout = 0;
		}
		if (dist == best && nout < max)
			out[nout++] = i;
	}
	if (nout == 0 && nprefix == 1 && max > 0 && lw >= 2)
		out[nout++] = prefix;
	return nout;
}
