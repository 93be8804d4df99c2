/*
 * parquet-thrift.c - the Thrift compact protocol and Parquet's
 * FileMetaData / PageHeader structs (see parquet-thrift.h).
 *
 * Fields the reader does not use are skipped by type; a field carrying an
 * unexpected type is skipped too (as Thrift does), so a writer's extensions
 * never confuse it.  Counts are checked against the bytes left (each
 * element takes at least one byte) before any allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "common/parquet-thrift.h"

static int
tc_trunc(struct ic_error *err)
{
	return ic_errorf(err, "truncated or corrupt Thrift data");
}

int
tc_varint(struct tc *t, uint64_t *v, struct ic_error *err)
{
	uint64_t r = 0;

	for (int shift = 0; shift < 70; shift += 7) {
		unsigned char b;
		if (t->p >= t->end)
			return tc_trunc(err);
		b = *t->p++;
		if (shift == 63 && (b & 0x7e))
			return ic_errorf(err, "Thrift varint too long");
		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return ic_errorf(err, "Thrift varint too long");
}

int
tc_zigzag(struct tc *t, int64_t *v, struct ic_error *err)
{
	uint64_t u;

	if (tc_varint(t, &u, err) != 0)
		return -1;
	*v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
	return 0;
}

static int
tc_i32(struct tc *t, int32_t *v, struct ic_error *err)
{
	int64_t x;

	if (tc_zigzag(t, &x, err) != 0)
		return -1;
	if (x < INT32_MIN || x > INT32_MAX)
		return ic_errorf(err, "Thrift i32 out of range");
	*v = (int32_t)x;
	return 0;
}

int
tc_binary(struct tc *t, const unsigned char **p, uint32_t *len, struct ic_error *err)
{
	uint64_t n;

	if (tc_varint(t, &n, err) != 0)
		return -1;
	if (n > (uint64_t)(t->end - t->p))
		return tc_trunc(err);
	*p = t->p;
	*len = (uint32_t)n;
	t->p += n;
	return 0;
}

int
tc_field(struct tc *t, int *last, int *type, int *id, struct ic_error *err)
{
	unsigned char b;

	if (t->p >= t->end)
		return tc_trunc(err);
	b = *t->p++;
	*type = b & 0x0f;
	if (*type == TC_STOP) {
		*id = 0;
		return 0;
	}
	if (b >> 4) {
		*id = *last + (b >> 4);
	} else {
		int64_t x;
		if (tc_zigzag(t, &x, err) != 0)
			return -1;
		if (x < INT16_MIN || x > INT16_MAX)
			return ic_errorf(err, "Thrift field id out of range");
		*id = (int)x;
	}
	*last = *id;
	return 0;
}

int
tc_list(struct tc *t, int *etype, uint32_t *n, struct ic_error *err)
{
	unsigned char b;
	uint64_t size;

	if (t->p >= t->end)
		return tc_trunc(err);
	b = *t->p++;
	*etype = b & 0x0f;
	size = b >> 4;
	if (size == 15 && tc_varint(t, &size, err) != 0)
		return -1;
	/* every element takes at least one byte */
	if (size > (uint64_t)(t->end - t->p))
		return tc_trunc(err);
	*n = (uint32_t)size;
	return 0;
}

int
tc_skip(struct tc *t, int type, struct ic_error *err)
{
	uint64_t u;
	const unsigned char *p;
	uint32_t n;
	int et, last = 0, ft, id, ret = 0;

	switch (type) {
	case TC_TRUE:
	case TC_FALSE:
		return 0;	/* a field's bool is in its type nibble */
	case TC_BYTE:
		if (t->p >= t->end)
			return tc_trunc(err);
		t->p++;
		return 0;
	case TC_I16:
	case TC_I32:
	case TC_I64:
		return tc_varint(t, &u, err);
	case TC_DOUBLE:
		if (t->end - t->p < 8)
			return tc_trunc(err);
		t->p += 8;
		return 0;
	case TC_BINARY:
		return tc_binary(t, &p, &n, err);
	}
	if (++t->depth > TC_DEPTH_MAX)
		return ic_errorf(err, "Thrift data nested too deep");
	if (type == TC_LIST || type == TC_SET) {
		if (tc_list(t, &et, &n, err) != 0)
			ret = -1;
		for (uint32_t i = 0; ret == 0 && i < n; i++) {
			if (et == TC_TRUE || et == TC_FALSE)
				ret = tc_skip(t, TC_BYTE, err);
			else
				ret = tc_skip(t, et, err);
		}
	} else if (type == TC_MAP) {
		int kt = 0, vt = 0;
		if (tc_varint(t, &u, err) != 0) {
			ret = -1;
		} else if (u > 0) {
			if (t->p >= t->end || u > (uint64_t)(t->end - t->p)) {
				ret = tc_trunc(err);
			} else {
				kt = *t->p >> 4;
				vt = *t->p & 0x0f;
				t->p++;
			}
		}
		for (uint64_t i = 0; ret == 0 && i < u; i++) {
			ret = tc_skip(t, kt == TC_TRUE || kt == TC_FALSE ? TC_BYTE : kt, err);
			if (ret == 0)
				ret = tc_skip(t, vt == TC_TRUE || vt == TC_FALSE ? TC_BYTE : vt, err);
		}
	} else if (type == TC_STRUCT) {
		for (;;) {
			if (tc_field(t, &last, &ft, &id, err) != 0) {
				ret = -1;
				break;
			}
			if (ft == TC_STOP)
				break;
			if (tc_skip(t, ft, err) != 0) {
				ret = -1;
				break;
			}
		}
	} else {
		ret = ic_errorf(err, "unknown Thrift type %d", type);
	}
	t->depth--;
	return ret;
}

/* ---- Parquet structs ---- */

/* Read an i32 field value when the type is right, else skip it. */
static int
f_i32(struct tc *t, int type, int32_t *v, struct ic_error *err)
{
	if (type != TC_I32 && type != TC_I16 && type != TC_BYTE)
		return tc_skip(t, type, err);
	if (type == TC_BYTE) {
		if (t->p >= t->end)
			return tc_trunc(err);
		*v = (signed char)*t->p++;
		return 0;
	}
	return tc_i32(t, v, err);
}

static int
f_i64(struct tc *t, int type, int64_t *v, struct ic_error *err)
{
	if (type != TC_I64 && type != TC_I32)
		return tc_skip(t, type, err);
	return tc_zigzag(t, v, err);
}

/* Enter a nested struct (depth-limited); leave with t->depth--. */
static int
enter(struct tc *t, struct ic_error *err)
{
	if (++t->depth > TC_DEPTH_MAX)
		return ic_errorf(err, "Thrift data nested too deep");
	return 0;
}

/* The union member of a TimeUnit / a LogicalType: the first field id. */
static int
union_id(struct tc *t, int *which, struct ic_error *err)
{
	int last = 0, ft, id;

	*which = 0;
	if (enter(t, err) != 0)
		return -1;
	for (;;) {
		if (tc_field(t, &last, &ft, &id, err) != 0)
			return -1;
		if (ft == TC_STOP)
			break;
		if (*which == 0)
			*which = id;
		if (tc_skip(t, ft, err) != 0)
			return -1;
	}
	t->depth--;
	return 0;
}

static int
parse_logical(struct tc *t, struct pq_schema *s, struct ic_error *err)
{
	int last = 0, ft, id;

	if (enter(t, err) != 0)
		return -1;
	for (;;) {
		if (tc_field(t, &last, &ft, &id, err) != 0)
			return -1;
		if (ft == TC_STOP)
			break;
		if (ft != TC_STRUCT) {
			if (tc_skip(t, ft, err) != 0)
				return -1;
			continue;
		}
		if (id == 5 || id == 8 || id == 10) {
			/* DecimalType, TimestampType, IntType: read their fields */
			int l2 = 0, f2, i2, unit = 0;
			int32_t v = 0;
			if (enter(t, err) != 0)
				return -1;
			for (;;) {
				if (tc_field(t, &l2, &f2, &i2, err) != 0)
					return -1;
				if (f2 == TC_STOP)
					break;
				if (id == 5 && (i2 == 1 || i2 == 2) && f2 == TC_I32) {
					if (tc_i32(t, &v, err) != 0)
						return -1;
					if (i2 == 1)
						s->scale = v;
					else
						s->precision = v;
				} else if (id == 8 && i2 == 2 && f2 == TC_STRUCT) {
					if (union_id(t, &unit, err) != 0)
						return -1;
				} else if (id == 10 && i2 == 1 && f2 == TC_BYTE) {
					if (f_i32(t, f2, &v, err) != 0)
						return -1;
					s->int_bits = v;
				} else if (id == 10 && i2 == 2 && (f2 == TC_TRUE || f2 == TC_FALSE)) {
					s->int_signed = f2 == TC_TRUE;
				} else if (tc_skip(t, f2, err) != 0) {
					return -1;
				}
			}
			t->depth--;
			if (id == 5)
				s->logical = PL_DECIMAL;
			else if (id == 10)
				s->logical = PL_INT;
			else
				s->logical = unit == 1 ? PL_TS_MILLIS : unit == 2 ? PL_TS_MICROS
					   : unit == 3 ? PL_TS_NANOS : PL_OTHER;
			continue;
		}
		s->logical = id == 1 ? PL_STRING : id == 2 ? PL_MAP : id == 3 ? PL_LIST
			   : id == 4 ? PL_STRING /* ENUM */ : id == 6 ? PL_DATE
			   : id == 7 ? PL_TIME : id == 12 ? PL_JSON : PL_OTHER;
		if (tc_skip(t, ft, err) != 0)
			return -1;
	}
	t->depth--;
	return 0;
}

static int
from_converted(int32_t ct, struct pq_schema *s)
{
	switch (ct) {
	case 0: case 4: return PL_STRING;
	case 1: case 2: return PL_MAP;
	case 3: return PL_LIST;
	case 5: return PL_DECIMAL;
	case 6: return PL_DATE;
	case 7: case 8: return PL_TIME;
	case 9: return PL_TS_MILLIS;
	case 10: return PL_TS_MICROS;
	case 19: return PL_JSON;
	}
	if (ct >= 11 && ct <= 18) {
		static const int bits[] = { 8, 16, 32, 64, 8, 16, 32, 64 };
		s->int_bits = bits[ct - 11];
		s->int_signed = ct >= 15;
		return PL_INT;
	}
	return PL_OTHER;
}

static int
parse_schema(struct tc *t, struct pq_schema *s, struct ic_error *err)
{
	int last = 0, ft, id, logical_seen = 0;
	int32_t v = 0;
	const unsigned char *p = NULL;
	uint32_t n = 0;

	s->type = -1;
	s->repetition = -1;
	if (enter(t, err) != 0)
		return -1;
	for (;;) {
		if (tc_field(t, &last, &ft, &id, err) != 0)
			return -1;
		if (ft == TC_STOP)
			break;
		switch (id) {
		case 1: v = -1; if (f_i32(t, ft, &v, err) != 0) return -1; s->type = v; break;
		case 2: if (f_i32(t, ft, &s->type_length, err) != 0) return -1; break;
		case 3: if (f_i32(t, ft, &v, err) != 0) return -1; s->repetition = v; break;
		case 4:
			if (ft != TC_BINARY) {
				if (tc_skip(t, ft, err) != 0)
					return -1;
				break;
			}
			if (tc_binary(t, &p, &n, err) != 0)
				return -1;
			free(s->name);
			s->name = malloc((size_t)n + 1);
			if (s->name == NULL)
				return ic_errorf(err, "out of memory");
			memcpy(s->name, p, n);
			s->name[n] = 0;
			break;
		case 5: if (f_i32(t, ft, &s->num_children, err) != 0) return -1; break;
		case 6:
			v = -1;
			if (f_i32(t, ft, &v, err) != 0)
				return -1;
			if (!logical_seen && v >= 0)
				s->logical = from_converted(v, s);
			break;
		case 7: if (f_i32(t, ft, &s->scale, err) != 0) return -1; break;
		case 8: if (f_i32(t, ft, &s->precision, err) != 0) return -1; break;
		case 10:
			if (ft != TC_STRUCT) {
				if (tc_skip(t, ft, err) != 0)
					return -1;
				break;
			}
			s->logical = PL_NONE;
			if (parse_logical(t, s, err) != 0)
				return -1;
			logical_seen = 1;
			break;
		default:
			if (tc_skip(t, ft, err) != 0)
				return -1;
		}
	}
	t->depth--;
	if (s->name == NULL) {
		s->name = malloc(1);
		if (s->name == NULL)
			return ic_errorf(err, "out of memory");
		s->name[0] = 0;
	}
	return 0;
}

static int
parse_colmeta(struct tc *t, struct pq_chunk *c, struct ic_error *err)
{
	int last = 0, ft, id;
	int32_t v;

	if (enter(t, err) != 0)
		return -1;
	for (;;) {
		if (tc_field(t, &last, &ft, &id, err) != 0)
			return -1;
		if (ft == TC_STOP)
			break;
		switch (id) {
		case 1: if (f_i32(t, ft, &v, err) != 0) return -1; c->type = v; break;
		case 4: if (f_i32(t, ft, &v, err) != 0) return -1; c->codec = v; break;
		case 5: if (f_i64(t, ft, &c->num_values, err) != 0) return -1; break;
		case 6: if (f_i64(t, ft, &c->total_uncompressed, err) != 0) return -1; break;
		case 7: if (f_i64(t, ft, &c->total_compressed, err) != 0) return -1; break;
		case 9: if (f_i64(t, ft, &c->data_page_offset, err) != 0) return -1; break;
		case 11: if (f_i64(t, ft, &c->dict_page_offset, err) != 0) return -1; break;
		default:
			if (tc_skip(t, ft, err) != 0)
				return -1;
		}
	}
	t->depth--;
	c->has_meta = 1;
	return 0;
}

static int
parse_chunk(struct tc *t, struct pq_chunk *c, struct ic_error *err)
{
	int last = 0, ft, id;

	c->dict_page_offset = -1;
	c->type = -1;
	c->codec = -1;
	if (enter(t, err) != 0)
		return -1;
	for (;;) {
		if (tc_field(t, &last, &ft, &id, err) != 0)
			return -1;
		if (ft == TC_STOP)
			break;
		if (id == 3 && ft == TC_STRUCT) {
			if (parse_colmeta(t, c, err) != 0)
				return -1;
		} else if (tc_skip(t, ft, err) != 0) {
			return -1;
		}
	}
	t->depth--;
	return 0;
}

static int
parse_rowgroup(struct tc *t, struct pq_rowgroup *g, struct ic_error *err)
{
	int last = 0, ft, id, et;
	uint32_t n;

	if (enter(t, err) != 0)
		return -1;
	for (;;) {
		if (tc_field(t, &last, &ft, &id, err) != 0)
			return -1;
		if (ft == TC_STOP)
			break;
		if (id == 1 && ft == TC_LIST && g->chunks == NULL) {
			if (tc_list(t, &et, &n, err) != 0)
				return -1;
			if (et != TC_STRUCT)
				return ic_errorf(err, "row group columns are not structs");
			g->chunks = calloc(n ? n : 1, sizeof *g->chunks);
			if (g->chunks == NULL)
				return ic_errorf(err, "out of memory");
			for (uint32_t i = 0; i < n; i++) {
				g->nchunks = (int)i + 1;
				if (parse_chunk(t, &g->chunks[i], err) != 0)
					return -1;
			}
		} else if (id == 2) {
			if (f_i64(t, ft, &g->total_byte_size, err) != 0)
				return -1;
		} else if (id == 3) {
			if (f_i64(t, ft, &g->num_rows, err) != 0)
				return -1;
		} else if (tc_skip(t, ft, err) != 0) {
			return -1;
		}
	}
	t->depth--;
	return 0;
}

int
pq_meta_parse(const unsigned char *buf, size_t len, struct pq_meta *m, struct ic_error *err)
{
	struct tc t = { buf, buf + len, 0 };
	int last = 0, ft, id, et;
	uint32_t n;

	memset(m, 0, sizeof *m);
	for (;;) {
		if (tc_field(&t, &last, &ft, &id, err) != 0)
			return -1;
		if (ft == TC_STOP)
			break;
		if (id == 2 && ft == TC_LIST && m->schema == NULL) {
			if (tc_list(&t, &et, &n, err) != 0)
				return -1;
			if (et != TC_STRUCT || n == 0)
				return ic_errorf(err, "the schema is empty or not a list of structs");
			m->schema = calloc(n, sizeof *m->schema);
			if (m->schema == NULL)
				return ic_errorf(err, "out of memory");
			for (uint32_t i = 0; i < n; i++) {
				m->nschema = (int)i + 1;
				if (parse_schema(&t, &m->schema[i], err) != 0)
					return -1;
			}
		} else if (id == 3) {
			if (f_i64(&t, ft, &m->num_rows, err) != 0)
				return -1;
		} else if (id == 4 && ft == TC_LIST && m->rgs == NULL) {
			if (tc_list(&t, &et, &n, err) != 0)
				return -1;
			if (et != TC_STRUCT && n > 0)
				return ic_errorf(err, "row groups are not structs");
			m->rgs = calloc(n ? n : 1, sizeof *m->rgs);
			if (m->rgs == NULL)
				return ic_errorf(err, "out of memory");
			for (uint32_t i = 0; i < n; i++) {
				m->nrgs = (int)i + 1;
				if (parse_rowgroup(&t, &m->rgs[i], err) != 0)
					return -1;
			}
		} else if (tc_skip(&t, ft, err) != 0) {
			return -1;
		}
	}
	if (m->schema == NULL)
		return ic_errorf(err, "the footer has no schema");
	return 0;
}

void
pq_meta_free(struct pq_meta *m)
{
	for (int i = 0; i < m->nschema; i++)
		free(m->schema[i].name);
	free(m->schema);
	for (int i = 0; i < m->nrgs; i++)
		free(m->rgs[i].chunks);
	free(m->rgs);
	memset(m, 0, sizeof *m);
}

/* DataPageHeader (kind 5), DictionaryPageHeader (7), DataPageHeaderV2 (8) */
static int
parse_page_body(struct tc *t, int kind, struct pq_page_header *h, struct ic_error *err)
{
	int last = 0, ft, id;
	int32_t v;

	if (enter(t, err) != 0)
		return -1;
	for (;;) {
		if (tc_field(t, &last, &ft, &id, err) != 0)
			return -1;
		if (ft == TC_STOP)
			break;
		v = 0;
		if (id == 1 || id == 2 || (id <= 6 && kind != 7)) {
			if (f_i32(t, ft, &v, err) != 0)
				return -1;
			if (id == 1)
				h->num_values = v;
			else if (kind == 8) {
				if (id == 2) h->num_nulls = v;
				else if (id == 3) h->num_rows = v;
				else if (id == 4) h->encoding = v;
				else if (id == 5) h->def_bytes = v;
				else if (id == 6) h->rep_bytes = v;
			} else if (id == 2) {
				h->encoding = v;
			} else if (kind == 5 && id == 3) {
				h->def_encoding = v;
			} else if (kind == 5 && id == 4) {
				h->rep_encoding = v;
			}
		} else if (kind == 8 && id == 7 && (ft == TC_TRUE || ft == TC_FALSE)) {
			h->is_compressed = ft == TC_TRUE;
		} else if (tc_skip(t, ft, err) != 0) {
			return -1;
		}
	}
	t->depth--;
	h->has_body = 1;
	return 0;
}

int
pq_page_header_parse(const unsigned char *buf, size_t len, struct pq_page_header *h,
		     size_t *used, struct ic_error *err)
{
	struct tc t = { buf, buf + len, 0 };
	int last = 0, ft, id;
	int32_t v;

	memset(h, 0, sizeof *h);
	h->type = -1;
	h->is_compressed = 1;
	h->encoding = -1;
	for (;;) {
		if (tc_field(&t, &last, &ft, &id, err) != 0)
			return -1;
		if (ft == TC_STOP)
			break;
		if (id == 1 || id == 2 || id == 3) {
			v = -1;
			if (f_i32(&t, ft, &v, err) != 0)
				return -1;
			if (id == 1) h->type = v;
			else if (id == 2) h->uncompressed_size = v;
			else h->compressed_size = v;
		} else if ((id == 5 || id == 7 || id == 8) && ft == TC_STRUCT) {
			if (parse_page_body(&t, id, h, err) != 0)
				return -1;
		} else if (tc_skip(&t, ft, err) != 0) {
			return -1;
		}
	}
	if (h->uncompressed_size < 0 || h->compressed_size < 0)
		return ic_errorf(err, "negative page size");
	*used = (size_t)(t.p - buf);
	return 0;
}
