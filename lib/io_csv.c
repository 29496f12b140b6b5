/* io_csv.c: delimited text through libcsv, record by record, and the writer. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"

/* ======================================================================
 * Reading records
 * ==================================================================== */

static int fail_at(vae_reader *r, unsigned long col, int code, const char *fmt, const char *arg)
{
	if (!r->rc)
		r->rc = vae_fail(r->e, code, r->path, r->rec_line, col, fmt, arg);
	return r->rc;
}

/* Parse a whole field as a finite float: "1.5", " 2 ", "-3e4". */
static int parse_float(const char *s, size_t len, float *out)
{
	char *end;

	if (len == 0)
		return -1;
	errno = 0;
	*out = strtof(s, &end);
	while (end < s + len && (*end == ' ' || *end == '\t'))
		end++;
	if (end == s || end != s + len)
		return -1;
	return isfinite(*out) ? 0 : -2;
}

static int text_reserve(vae_text *t, size_t bytes, size_t offs)
{
	if (t->len + bytes > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		while (cap < t->len + bytes)
			cap *= 2;
		char *b = realloc(t->buf, cap);
		if (!b)
			return -1;
		t->buf = b;
		t->cap = cap;
	}
	if (offs > t->off_cap) {
		size_t cap = t->off_cap ? t->off_cap : 256;
		while (cap < offs)
			cap *= 2;
		size_t *o = realloc(t->off, cap * sizeof *o);
		if (!o)
			return -1;
		t->off = o;
		t->off_cap = cap;
	}
	return 0;
}

static void keep_field(vae_reader *r, size_t k, const char *s, size_t len)
{
	vae_text *t = r->keep;
	size_t i = r->row * r->n_keep + k;

	if (text_reserve(t, len + 1, i + 2)) {
		fail_at(r, 0, VAE_ENOMEM, "cannot allocate %s", "pass-through fields");
		return;
	}
	t->off[i] = t->len;
	memcpy(t->buf + t->len, s, len);
	t->buf[t->len + len] = 0;
	t->len += len + 1;
}

static void data_field(vae_reader *r, size_t f, const char *s, size_t len)
{
	int j = f < r->n_fields ? r->col_of[f] : -1;

	if (j >= 0) {
		float *v = r->x->x + r->row * r->n_cols + (size_t)j;
		int bad = parse_float(s, len, v);
		if (bad == -1)
			fail_at(r, f + 1, VAE_EDATA, len ? "expected a number, got \"%s\""
			        : "expected a number, got an empty field%s", s);
		else if (bad)
			fail_at(r, f + 1, VAE_EDATA, "expected a finite number, got \"%s\"", s);
	}
	if (f < r->n_fields && r->keep_of[f] >= 0 && r->keep)
		keep_field(r, (size_t)r->keep_of[f], s, len);
}

static void first_field(vae_reader *r, const char *s, size_t len)
{
	char *copy;

	if (r->field >= r->first_cap) {
		size_t cap = r->first_cap ? 2 * r->first_cap : 16;
		char **p = realloc(r->first, cap * sizeof *p);
		if (!p) {
			fail_at(r, 0, VAE_ENOMEM, "cannot allocate %s", "the first record");
			return;
		}
		memset(p + r->first_cap, 0, (cap - r->first_cap) * sizeof *p);   /* close frees them */
		r->first = p;
		r->first_cap = cap;
	}
	if (!(copy = malloc(len + 1))) {
		fail_at(r, 0, VAE_ENOMEM, "cannot allocate %s", "the first record");
		return;
	}
	memcpy(copy, s, len);
	copy[len] = 0;
	r->first[r->field] = copy;
}

void vae_io_field(void *s, size_t len, void *data)
{
	vae_reader *r = data;
	const char *nl;

	if (r->rc)
		return;
	if (r->in_first)
		first_field(r, s, len);
	else
		data_field(r, r->field, s, len);
	r->field++;
	for (nl = s; (nl = memchr(nl, '\n', len - (size_t)(nl - (const char *)s))); nl++)
		r->line++;          /* a quoted field spans lines */
}

/* A complete data record: check its width, then count it. */
static void end_data_record(vae_reader *r)
{
	if (r->field != r->n_fields) {
		char want[64];
		snprintf(want, sizeof want, "%zu fields, got %zu", r->n_fields, r->field);
		fail_at(r, 0, VAE_EDATA, "expected %s", want);
		return;
	}
	r->row++;
	if (r->keep)
		r->keep_len = r->keep->len;
}

void vae_io_record(int c, void *data)
{
	vae_reader *r = data;

	if (c == '\n' && r->after_cr && r->field == 0) {
		r->after_cr = 0;        /* the \n of a \r\n */
		return;
	}
	r->after_cr = c == '\r';
	if (r->field > 0 && !r->rc) {
		if (r->in_first) {
			r->n_fields = r->field;
			r->first_line = r->rec_line;
			r->in_first = 0;
		} else {
			end_data_record(r);
		}
	}
	r->field = 0;
	if (c == '\n' || c == '\r')
		r->line++;
	r->rec_line = r->line;
}

int vae_io_refill(vae_reader *r)
{
	int n = gzread(r->gz, r->buf, IO_BLOCK);

	if (n < 0) {
		int zerr;
		const char *msg = gzerror(r->gz, &zerr);
		return fail_at(r, 0, zerr == Z_ERRNO ? VAE_EIO : VAE_EDATA,
		               "cannot read: %s", zerr == Z_ERRNO ? strerror(errno) : msg);
	}
	r->len = (size_t)n;
	r->pos = 0;
	r->eof = n == 0;
	return 0;
}

/* Bytes up to and including the next line end, so no call completes more
 * than one record and a chunk stops exactly at max rows. */
static size_t line_span(const vae_reader *r)
{
	const unsigned char *p = r->buf + r->pos, *end = r->buf + r->len;

	while (p < end && *p != '\n' && *p != '\r')
		p++;
	return (size_t)(p - (r->buf + r->pos)) + (p < end);
}

static int done(const vae_reader *r)
{
	return r->rc || r->finished || (!r->in_first && r->row >= r->max);
}

int vae_io_pump(vae_reader *r)
{
	while (!done(r)) {
		if (r->pos == r->len) {
			if (!r->eof && vae_io_refill(r))
				break;
			if (r->eof) {
				if (csv_fini(&r->csv, vae_io_field, vae_io_record, r))
					fail_at(r, r->field + 1, VAE_EDATA, "%s", "a quoted field is not closed");
				r->finished = 1;
			}
			continue;
		}
		size_t n = line_span(r);
		if (csv_parse(&r->csv, r->buf + r->pos, n, vae_io_field, vae_io_record, r) != n)
			fail_at(r, r->field + 1, VAE_EDATA, "%s",
			        "a quote inside an unquoted field, or text after a closing quote");
		r->pos += n;
	}
	return r->rc;
}

/* The first record, when it was data, goes through the same path. */
static void replay_first(vae_reader *r)
{
	r->first_pending = 0;
	r->field = 0;
	for (size_t f = 0; f < r->n_fields && !r->rc; f++, r->field++)
		data_field(r, f, r->first[f], strlen(r->first[f]));
	if (!r->rc)
		end_data_record(r);
	r->field = 0;
}

long vae_reader_read(vae_reader *r, vae_mat *x, vae_text *keep, size_t max, vae_err *e)
{
	r->x = x;
	r->keep = r->n_keep ? keep : NULL;
	r->row = 0;
	r->keep_len = 0;
	r->max = max;
	r->e = e;
	if (keep) {
		keep->cols = r->n_keep;
		keep->len = 0;
		if (text_reserve(keep, 1, max * r->n_keep + 1))
			return vae_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate pass-through fields");
	}
	if (r->first_pending && max > 0) {
		unsigned long line = r->rec_line;
		r->rec_line = r->first_line;
		replay_first(r);
		r->rec_line = line;
	}
	if (!r->rc && r->n_fields > 0)
		vae_io_pump(r);
	x->rows = r->row;
	if (keep) {
		keep->rows = r->row;
		keep->len = r->keep_len;        /* drop a failed row's fields */
		keep->off[r->row * r->n_keep] = keep->len;
	}
	return r->rc ? r->rc : (long)r->row;
}
