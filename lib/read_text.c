/* read_text.c: delimited text through libcsv, record by record. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "read.h"
#include "number.h"

static int no_space(unsigned char c)
{
	(void)c;
	return 0;                   /* keep fields verbatim: spaces are data */
}

/* Tab if the first line has one, else comma. */
static int sniff_delim(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n && p[i] != '\n'; i++)
		if (p[i] == '\t')
			return '\t';
	return ',';
}

int vi_io_csv_init(vae_reader *r, int format, int delim, vae_err *e)
{
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL))
		return vi_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate a CSV parser");
	r->csv_live = 1;
	r->csv_at_start = 1;
	r->delim = delim ? delim : format == VAE_FMT_TSV ? '\t' : format == VAE_FMT_CSV ? ','
	         : sniff_delim(r->buf + r->pos, r->len - r->pos);
	r->format = r->delim == '\t' ? VAE_FMT_TSV : VAE_FMT_CSV;
	csv_set_delim(&r->csv, (unsigned char)r->delim);
	csv_set_space_func(&r->csv, no_space);
	return 0;
}

/* ======================================================================
 * Fields and records, as libcsv delivers them
 * ==================================================================== */

static void data_field(vae_reader *r, size_t f, const char *s, size_t len)
{
	int j = f < r->n_fields ? r->col_of[f] : -1, bad;

	if (j >= 0 && (bad = vi_parse_float(s, len, r->x->x + r->row * r->n_cols + (size_t)j)))
		vi_io_bad_value(r, f, bad == -2, s);
	if (f < r->n_fields && r->keep_of[f] >= 0 && r->keep)
		vi_io_keep(r, (size_t)r->keep_of[f], s, len);
	if (f < r->n_fields && r->keep_all && r->keep)
		vi_io_keep(r, r->n_keep + f, s, len);
}

static void first_field(vae_reader *r, const char *s, size_t len)
{
	if (r->field >= r->first_cap) {
		size_t cap = r->first_cap ? 2 * r->first_cap : 16;
		char **p = realloc(r->first, cap * sizeof *p);
		if (!p) {
			vi_io_fail(r, 0, VAE_ENOMEM, "cannot allocate the first record");
			return;
		}
		memset(p + r->first_cap, 0, (cap - r->first_cap) * sizeof *p);   /* close frees them */
		r->first = p;
		r->first_cap = cap;
	}
	if (!(r->first[r->field] = malloc(len + 1))) {
		vi_io_fail(r, 0, VAE_ENOMEM, "cannot allocate the first record");
		return;
	}
	memcpy(r->first[r->field], s, len);
	r->first[r->field][len] = 0;
}

static void on_field(void *s, size_t len, void *data)
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
		vi_io_fail(r, 0, VAE_EDATA, "expected %zu fields, got %zu", r->n_fields, r->field);
		return;
	}
	vi_io_row_done(r);
}

static void on_record(int c, void *data)
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
	r->record_ended = 1;
}

/* ======================================================================
 * Feeding the parser
 * ==================================================================== */

/* Bytes up to and including the next line end, so no call completes more
 * than one record and a chunk stops exactly at max rows; 0 when the buffer
 * holds no line end. */
static size_t line_span(const vae_reader *r)
{
	const unsigned char *p = r->buf + r->pos, *nl, *cr;
	size_t n = r->len - r->pos;

	nl = memchr(p, '\n', n);
	cr = memchr(p, '\r', nl ? (size_t)(nl - p) : n);
	nl = cr ? cr : nl;
	return nl ? (size_t)(nl - p) + 1 : 0;
}

/* A data line with no quote in it, from the start of a record to its line
 * end, as n bytes at buf + pos: split and parsed here, as libcsv would
 * deliver its fields but several times faster (libcsv goes through a state
 * machine and a copy byte by byte).  Each field is ended in place by a NUL
 * while it is parsed, as libcsv's copies are.  @return 1 when done, 0 to
 * leave the line to libcsv. */
static int plain_line(vae_reader *r, size_t n)
{
	char *f = (char *)r->buf + r->pos, *end = f + n - 1;     /* end: the line end */
	char delim = (char)r->delim;
	int eol = (unsigned char)*end;
	float *row = r->n_cols ? r->x->x + r->row * r->n_cols : NULL;

	if (r->in_first || !r->csv_at_start || memchr(f, '"', n - 1))
		return 0;
	for (int fields = f < end; fields; ) {  /* an empty line has none */
		size_t k = r->field++;
		int j = k < r->n_fields ? r->col_of[k] : -1;
		const char *q;
		/* a model column whose text is not kept, as a plain number: at once */
		if (j >= 0 && (!r->keep || (!r->keep_all && r->keep_of[k] < 0))
		    && (q = vi_scan_float(f, end, &row[j])) && (q == end || *q == delim)) {
			fields = q < end;
			f = (char *)q + 1;
			continue;
		}
		char *e = f, keep;
		while (e < end && *e != delim)
			e++;
		keep = *e;
		*e = 0;
		data_field(r, k, f, (size_t)(e - f));
		*e = keep;
		fields = e < end && !r->rc;
		f = e + 1;              /* at end: an empty last field follows */
	}
	on_record(eol, r);
	return 1;
}

static int done(const vae_reader *r)
{
	return r->rc || r->finished || (!r->in_first && r->row >= r->max);
}

/* Give libcsv the next n bytes (0: the rest of the buffer, no line end). */
static void feed_libcsv(vae_reader *r, size_t n)
{
	n = n ? n : r->len - r->pos;
	r->record_ended = 0;
	if (csv_parse(&r->csv, r->buf + r->pos, n, on_field, on_record, r) != n)
		vi_io_fail(r, r->field + 1, VAE_EDATA,
		            "a quote inside an unquoted field, or text after a closing quote");
	r->csv_at_start = r->record_ended;      /* a span holds at most one record end */
	r->pos += n;
}

int vi_io_csv_pump(vae_reader *r)
{
	while (!done(r)) {
		if (r->pos == r->len) {
			if (vi_io_refill(r))
				break;
			if (r->eof) {
				if (csv_fini(&r->csv, on_field, on_record, r))
					vi_io_fail(r, r->field + 1, VAE_EDATA, "a quoted field is not closed");
				r->finished = 1;
			}
			continue;
		}
		size_t n = line_span(r);
		if (n == 0 && !r->eof && r->len - r->pos < IO_BLOCK) {
			/* a line cut by the end of what was read: bring in the rest */
			if (vi_io_need(r, r->len - r->pos + 1) && r->rc)
				break;
			continue;
		}
		if (n == 0 || !plain_line(r, n))
			feed_libcsv(r, n);
		else
			r->pos += n;
	}
	return r->rc;
}

/* The first record, when it was data, goes through the same path. */
void vi_io_csv_first_data(vae_reader *r)
{
	unsigned long line = r->rec_line;

	r->first_pending = 0;
	r->rec_line = r->first_line;
	for (r->field = 0; r->field < r->n_fields && !r->rc; r->field++)
		data_field(r, r->field, r->first[r->field], strlen(r->first[r->field]));
	if (!r->rc)
		end_data_record(r);
	r->field = 0;
	r->rec_line = line;
}
