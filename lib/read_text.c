/* read_text.c: CSV and TSV, quote-free lines by hand and the rest by libcsv. */
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

int vi_text_init(vi_text *t, vi_source *src, vi_sink *sink, int format, int delim)
{
	t->src = src;
	t->sink = sink;
	t->line = 1;
	t->in_first = 1;
	if (csv_init(&t->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL))
		return -1;
	t->live = 1;
	t->at_start = 1;
	t->delim = delim ? delim : format == VAE_FMT_TSV ? '\t' : format == VAE_FMT_CSV ? ','
	         : sniff_delim(src->buf + src->pos, src->len - src->pos);
	csv_set_delim(&t->csv, (unsigned char)t->delim);
	csv_set_space_func(&t->csv, no_space);
	return 0;
}

void vi_text_free(vi_text *t)
{
	if (t->live)
		csv_free(&t->csv);
	for (size_t f = 0; f < t->first_cap && t->first; f++)
		free(t->first[f]);
	free(t->first);
}

/* ======================================================================
 * Fields and records, as libcsv delivers them
 * ==================================================================== */

static void first_field(vi_text *t, const char *s, size_t len)
{
	if (t->field >= t->first_cap) {
		size_t cap = t->first_cap ? 2 * t->first_cap : 16;
		char **p = realloc(t->first, cap * sizeof *p);
		if (!p) {
			vi_fault_set(&t->sink->fault, 0, VAE_ENOMEM, "cannot allocate the first record");
			return;
		}
		memset(p + t->first_cap, 0, (cap - t->first_cap) * sizeof *p);   /* freed with t */
		t->first = p;
		t->first_cap = cap;
	}
	if (!(t->first[t->field] = malloc(len + 1))) {
		vi_fault_set(&t->sink->fault, 0, VAE_ENOMEM, "cannot allocate the first record");
		return;
	}
	memcpy(t->first[t->field], s, len);
	t->first[t->field][len] = 0;
}

static void on_field(void *s, size_t len, void *data)
{
	vi_text *t = data;
	const char *nl;

	if (t->sink->fault.rc)
		return;
	if (t->in_first)
		first_field(t, s, len);
	else
		vi_sink_field(t->sink, t->field, s, len);
	t->field++;
	for (nl = s; (nl = memchr(nl, '\n', len - (size_t)(nl - (const char *)s))); nl++)
		t->line++;          /* a quoted field spans lines */
}

/* A complete data record: check its width, then count it. */
static void end_data_record(vi_text *t)
{
	vi_sink *k = t->sink;

	if (t->field != k->n_fields) {
		int first = !k->fault.rc;
		vi_fault_set(&k->fault, 0, VAE_EDATA, "expected %zu fields, got %zu", k->n_fields, t->field);
		if (first && k->comma_guessed && k->n_fields == 1)
			k->fault.err.about = VAE_ABOUT_DELIMITER_GUESS;   /* a first line without one */
		return;
	}
	vi_sink_row_done(k);
}

static void on_record(int c, void *data)
{
	vi_text *t = data;
	vi_sink *k = t->sink;

	if (c == '\n' && t->after_cr && t->field == 0) {
		t->after_cr = 0;        /* the \n of a \r\n */
		return;
	}
	t->after_cr = c == '\r';
	if (t->field > 0 && !k->fault.rc) {
		if (t->in_first) {
			k->n_fields = t->field;
			t->first_line = k->fault.line;
			t->in_first = 0;
		} else {
			end_data_record(t);
		}
	}
	t->field = 0;
	if (c == '\n' || c == '\r')
		t->line++;
	k->fault.line = t->line;
	t->record_ended = 1;
}

/* ======================================================================
 * Feeding the parser
 * ==================================================================== */

/* Bytes up to and including the next line end, so no call completes more
 * than one record and a chunk stops exactly at max rows; 0 when the buffer
 * holds no line end. */
static size_t line_span(const vi_source *src)
{
	const unsigned char *p = src->buf + src->pos, *nl, *cr;
	size_t n = src->len - src->pos;

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
static int plain_line(vi_text *t, size_t n)
{
	vi_sink *k = t->sink;
	char *f = (char *)t->src->buf + t->src->pos, *end = f + n - 1;  /* end: the line end */
	char delim = (char)t->delim;
	int eol = (unsigned char)*end;
	float *row = k->n_cols ? k->x->x + k->row * k->n_cols : NULL;

	if (t->in_first || !t->at_start || memchr(f, '"', n - 1))
		return 0;
	for (int fields = f < end; fields; ) {  /* an empty line has none */
		size_t i = t->field++;
		int j = i < k->n_fields ? k->col_of[i] : -1;
		const char *q;
		/* a model column whose text is not kept, as a plain number (a
		 * count's or a positive column's checked): at once */
		if (j >= 0 && (!k->keep || (!k->keep_all && k->keep_of[i] < 0))
		    && (!k->code || k->code[j].how < VI_LEVELS)
		    && (q = vi_scan_float(f, end, &row[j])) && (q == end || *q == delim)
		    && (!k->code || vi_coding_fast(&k->code[j], row[j]))) {
			fields = q < end;
			f = (char *)q + 1;
			continue;
		}
		char *e = f, save;
		while (e < end && *e != delim)
			e++;
		save = *e;
		*e = 0;
		vi_sink_field(k, i, f, (size_t)(e - f));
		*e = save;
		fields = e < end && !k->fault.rc;
		f = e + 1;              /* at end: an empty last field follows */
	}
	on_record(eol, t);
	return 1;
}

static int done(const vi_text *t)
{
	const vi_sink *k = t->sink;

	return k->fault.rc || t->finished || (!t->in_first && k->row >= k->max);
}

/* Give libcsv the next n bytes (0: the rest of the buffer, no line end). */
static void feed_libcsv(vi_text *t, size_t n)
{
	vi_source *src = t->src;

	n = n ? n : src->len - src->pos;
	t->record_ended = 0;
	if (csv_parse(&t->csv, src->buf + src->pos, n, on_field, on_record, t) != n)
		vi_fault_set(&t->sink->fault, t->field + 1, VAE_EDATA,
		             "a quote inside an unquoted field, or text after a closing quote");
	t->at_start = t->record_ended;          /* a span holds at most one record end */
	src->pos += n;
}

/* The end of input: libcsv hands over a last record without a line end. */
static void finish(vi_text *t)
{
	if (csv_fini(&t->csv, on_field, on_record, t))
		vi_fault_set(&t->sink->fault, t->field + 1, VAE_EDATA, "a quoted field is not closed");
	t->finished = 1;
}

int vi_text_pump(vi_text *t)
{
	vi_source *src = t->src;

	while (!done(t)) {
		if (src->pos == src->len) {
			if (vi_source_refill(src))
				break;
			if (src->eof)
				finish(t);
			continue;
		}
		size_t n = line_span(src);
		if (n == 0 && !src->eof && src->len - src->pos < VI_SOURCE_BLOCK) {
			/* a line cut by the end of what was read: bring in the rest */
			if (vi_source_need(src, src->len - src->pos + 1) && src->fault->rc)
				break;
			continue;
		}
		if (n == 0 || !plain_line(t, n))
			feed_libcsv(t, n);
		else
			src->pos += n;
	}
	return t->sink->fault.rc;
}

/* The first record, when it was data, goes through the same path. */
void vi_text_first_data(vi_text *t)
{
	vi_sink *k = t->sink;
	unsigned long line = k->fault.line;

	k->fault.line = t->first_line;
	for (t->field = 0; t->field < k->n_fields && !k->fault.rc; t->field++)
		vi_sink_field(k, t->field, t->first[t->field], strlen(t->first[t->field]));
	if (!k->fault.rc)
		end_data_record(t);
	t->field = 0;
	k->fault.line = line;
}
