/*
 * notes.h - the notes analyze's document carries beside the analyses
 * (notes.c).
 */
#ifndef IMCOST_NOTES_H
#define IMCOST_NOTES_H

struct analyzer;
struct emitter;
struct engine;
struct slice;

/*
 * Where the prices come from (issue 14, item 7): price lists are read
 * from the local SQLite database db_path whatever the engine, the bill's
 * rates from eng.  JSON: the top-level "prices" object {engine, database,
 * price_lists, price_source, note}; the other forms: a "Prices" line when
 * the charges are on a remote engine.  Returns 0, or -1 when out of memory.
 */
int notes_price_origin(struct emitter *e, struct engine *eng, const char *db_path);

/* What the slice sl is and which of the nonly analyses in only (borrowed)
 * did not apply it: JSON slice{...}, else a "Filter not applied" line.
 * Nothing when sl neither restricts nor groups. */
void notes_slice(struct emitter *e, const struct slice *sl, const struct analyzer *const *only,
		 int nonly);

#endif
