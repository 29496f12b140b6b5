/* read.c: the reader: sniffing, header line, column selection, the row sink. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read.h"
#include "number.h"

struct vae_reader {
	char *path;                 /* as shown in messages */
	int format;
	vi_source src;
	vi_sink sink;
	vi_text text;               /* CSV and TSV */
	vi_tensor tensor;           /* NPY and IDX */
	int has_header, first_pending;   /* the text's first record is data not yet read */
	int header_guessed;         /* has_header was guessed (VAE_HEADER_AUTO) */
	size_t n_unnamed, first_unnamed; /* fields left out for an empty header name */
	size_t *col_field, *keep_field;  /* per model / kept column: its field */
	size_t *name_slot;          /* first[]'s names hashed: field + 1, 0 empty */
	size_t name_mask;           /* slots - 1 */
};

/* ======================================================================
 * Errors
 * ==================================================================== */

int vi_fault_set(vi_fault *f, unsigned long col, int code, const char *fmt, ...)
{
	char msg[sizeof f->err.msg];
	va_list ap;

	if (f->rc)
		return f->rc;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	f->rc = vi_fail(&f->err, code, f->path, f->line, col, "%s", msg);
	return f->rc;
}

/* The reader's error, told through the vae_err of the call that meets it
 * (and of every later one: it stays). */
static int tell(const vi_fault *f, vae_err *e)
{
	if (e)
		*e = f->err;
	return f->rc;
}

/* ======================================================================
 * The row sink: values and rows, in every format
 * ==================================================================== */

/* The spellings of a missing value in text. */
static int is_na(const char *s)
{
	static const char *const NA[] = { "", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "?" };

	for (size_t i = 0; i < sizeof NA / sizeof *NA; i++)
		if (!strcmp(s, NA[i]))
			return 1;
	return 0;
}

/* A NUL or a control character but tab shows as \xHH, so that "a\0b" does
 * not show as "a". */
const char *vi_visible(char *out, size_t cap, const char *text, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (n + 8 > cap) {
			memcpy(out + n, "...", 4);
			return out;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			n += (size_t)snprintf(out + n, cap - n, "\\x%02x", c);
		else
			out[n++] = (char)c;
	}
	out[n] = 0;
	return out;
}

/* A missing value in field f, a model column, as s->missing says: the row
 * marked to be dropped, or NAN in its cell.  @return 1, or 0 when missing
 * values are errors. */
static int take_missing(vi_sink *s, size_t f)
{
	if (s->missing == VAE_MISSING_SKIP)
		s->row_missing = 1;
	else if (s->missing == VAE_MISSING_MASK) {
		s->x->x[s->row * s->n_cols + (size_t)s->col_of[f]] = NAN;
		s->row_holes++;
	}
	return s->missing == VAE_MISSING_SKIP || s->missing == VAE_MISSING_MASK;
}

/* A value a column cannot take, in field f: the reader's error at once,
 * or under --missing skip held to the row's end, where the row dropped
 * for a missing cell takes it along (so a file reads as the survey saw
 * it: a row skipped in training taught no levels and no kinds).
 * @return the error written, or NULL when one came first. */
static vae_err *value_error(vi_sink *s, size_t f, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
static vae_err *value_error(vi_sink *s, size_t f, const char *fmt, ...)
{
	int hold = s->missing == VAE_MISSING_SKIP;
	vae_err *e = hold ? &s->held : &s->fault.err;
	char msg[sizeof e->msg];
	va_list ap;
	int rc;

	if (s->fault.rc || s->held_rc)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rc = vi_fail(e, VAE_EDATA, s->fault.path, s->fault.line, f + 1, "%s", msg);
	*(hold ? &s->held_rc : &s->fault.rc) = rc;
	return e;
}

/* The row's held error, if any, becomes the reader's unless the row is
 * dropped. */
static void tell_held(vi_sink *s)
{
	if (s->held_rc && !s->row_missing && !s->fault.rc) {
		s->fault.err = s->held;
		s->fault.rc = s->held_rc;
	}
	s->held_rc = 0;
}

/* A field of len bytes that spells a missing value (no NUL inside). */
static int is_missing(const char *text, size_t len)
{
	return strlen(text) == len && is_na(text);
}

void vi_sink_bad_value(vi_sink *s, size_t f, int nonfinite, const char *text, size_t len)
{
	char shown[460];
	vae_err *e;

	if ((nonfinite || is_missing(text, len)) && take_missing(s, f))
		return;
	if (!len)
		e = value_error(s, f, "expected a number, got an empty field");
	else if (nonfinite)
		e = value_error(s, f, "expected a finite number, got \"%s\"",
		                vi_visible(shown, sizeof shown, text, len));
	else     /* as a column of text says it: the program reads it as missing */
		e = value_error(s, f, "expected a number, got \"%s\"%s",
		                vi_visible(shown, sizeof shown, text, len),
		                is_missing(text, len) ? ", a missing value" : "");
	/* one field per line, holding what looks like another delimiter */
	if (e && s->comma_guessed && s->n_fields == 1 && strpbrk(text, ";|"))
		e->about = VAE_ABOUT_DELIMITER_GUESS;
	else if (e && (nonfinite || is_missing(text, len)))
		e->about = VAE_ABOUT_MISSING;
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

void vi_sink_keep(vi_sink *s, size_t k, const char *text, size_t len)
{
	vae_text *t = s->keep;
	size_t i = s->row * t->cols + k;

	if (text_reserve(t, len + 1, i + 2)) {
		vi_fault_set(&s->fault, 0, VAE_ENOMEM, "cannot allocate pass-through fields");
		return;
	}
	t->off[i] = t->len;
	memcpy(t->buf + t->len, text, len);
	t->buf[t->len + len] = 0;
	t->len += len + 1;
}

/* ----------------------------------------------------------------------
 * Model columns read as their kinds say (vae_reader_use_model) or as the
 * survey learns them (vae_reader_survey)
 * ------------------------------------------------------------------- */

/* A missing value in field f of a column where text is no error. */
static void missing_cell(vi_sink *s, size_t f, const char *text, size_t len)
{
	char shown[460];
	int first = !s->fault.rc;

	if (take_missing(s, f))
		return;
	if (!len)
		vi_fault_set(&s->fault, f + 1, VAE_EDATA, "expected a value, got an empty field");
	else
		vi_fault_set(&s->fault, f + 1, VAE_EDATA, "expected a value, got \"%s\", a missing value",
		             vi_visible(shown, sizeof shown, text, len));
	if (first)
		s->fault.err.about = VAE_ABOUT_MISSING;
}

static void out_of_memory(vi_sink *s)
{
	vi_fault_set(&s->fault, 0, VAE_ENOMEM, "cannot allocate the levels of the columns");
}

/* The bits of the NaN an impossible cell reads as. */
#define IMPOSSIBLE_BITS 0xffc0002au

static float impossible(void)
{
	uint32_t u = IMPOSSIBLE_BITS;
	float v;

	memcpy(&v, &u, sizeof v);
	return v;
}

int vae_is_impossible(float v)
{
	uint32_t u;

	memcpy(&u, &v, sizeof u);
	return u == IMPOSSIBLE_BITS;
}

/* Field f's value (spelled len bytes at text) is not one its column's kind
 * takes: an error, or with s->impossible the impossible cell. */
static void wrong_value(vi_sink *s, size_t f, const vi_coding *c, const char *text, size_t len,
                        float *to)
{
	char shown[300];

	if (s->impossible) {
		*to = impossible();
		return;
	}

	vi_visible(shown, sizeof shown, text, len);
	if (c->how == VI_COUNT)
		value_error(s, f, "%s is a count: expected a whole number from 0 to 16777216, got "
		            "\"%s\"", c->what, shown);
	else if (c->how == VI_POSITIVE)
		value_error(s, f, "%s is positive: expected a number > 0, got \"%s\"", c->what, shown);
	else if (c->n_levels == 0)
		value_error(s, f, "%s is %s and has no levels, got \"%s\"", c->what, c->kind, shown);
	else                        /* binary input */
		value_error(s, f, "%s is %s: expected a level's index, a whole number from 0 to %zu, "
		            "got \"%s\"", c->what, c->kind, c->n_levels - 1, shown);
}

/* A binary or cat column's text: its level's index, found by text, else
 * by the number it spells, else the "other" level. */
static void level_field(vi_sink *s, size_t f, const vi_coding *c, const char *text, size_t len,
                        float *to)
{
	char shown[300];
	long i;
	float v;
	int bad = 0;

	if (is_missing(text, len)) {
		missing_cell(s, f, text, len);
		return;
	}
	if ((i = vi_levels_find(c->levels, text, len)) < 0
	    && !(bad = vi_parse_float(text, len, &v)))
		i = vi_levels_find_value(c->levels, v);
	if (i >= 0)
		*to = (float)c->index[i];
	else if (bad == -2)
		missing_cell(s, f, text, len);          /* not finite, as the survey has it */
	else if (c->other >= 0)
		*to = (float)c->other;
	else if (s->impossible)
		*to = impossible();
	else
		value_error(s, f, "%s: \"%s\" was not seen in training", c->what,
		            vi_visible(shown, sizeof shown, text, len));
}

/* Field f, model column j, read by its coding. */
static void code_field(vi_sink *s, size_t f, size_t j, const char *text, size_t len, float *to)
{
	const vi_coding *c = &s->code[j];
	int bad;

	if (c->how == VI_LEVELS) {
		level_field(s, f, c, text, len, to);
		return;
	}
	bad = vi_parse_float(text, len, to);
	if (c->how == VI_SURVEY && bad != -2 && is_missing(text, len))
		missing_cell(s, f, text, len);
	else if (c->how == VI_SURVEY && bad == -1) {
		if (vi_survey_text(s->survey, j, text, len, to))
			out_of_memory(s);
	} else if (bad) {
		vi_sink_bad_value(s, f, bad == -2, text, len);
	} else if (c->how == VI_SURVEY) {
		if (vi_survey_number(s->survey, j, *to, text, len))
			out_of_memory(s);
	} else if (!vi_coding_fast(c, *to)) {
		wrong_value(s, f, c, text, len, to);
	}
}

void vi_sink_number(vi_sink *s, size_t f, double v)
{
	int j = s->col_of[f];
	float x = (float)v, *to = s->x->x + s->row * s->n_cols + (size_t)j;
	const vi_coding *c = s->code ? &s->code[j] : NULL;
	char text[32];

	if (!isfinite(x)) {                     /* a double beyond float32 too */
		snprintf(text, sizeof text, "%.17g", v);
		vi_sink_bad_value(s, f, 1, text, strlen(text));
		return;
	}
	*to = x;
	if (!c || c->how == VI_PLAIN)
		return;
	if (c->how == VI_SURVEY) {
		if (vi_survey_number(s->survey, (size_t)j, x, NULL, 0))
			out_of_memory(s);
	} else if (c->how == VI_LEVELS ? !(x >= 0 && x < (float)c->n_levels && x == floorf(x))
	           : !vi_coding_fast(c, x)) {
		snprintf(text, sizeof text, "%.17g", v);
		wrong_value(s, f, c, text, strlen(text), to);
	}
}

void vi_sink_field(vi_sink *s, size_t f, const char *text, size_t len)
{
	int j = f < s->n_fields ? s->col_of[f] : -1, bad;
	float *to = j >= 0 ? s->x->x + s->row * s->n_cols + (size_t)j : NULL;

	if (j >= 0 && s->code && s->code[j].how)
		code_field(s, f, (size_t)j, text, len, to);
	else if (j >= 0 && (bad = vi_parse_float(text, len, to)))
		vi_sink_bad_value(s, f, bad == -2, text, len);
	if (f < s->n_fields && s->keep_of[f] >= 0 && s->keep)
		vi_sink_keep(s, (size_t)s->keep_of[f], text, len);
	if (f < s->n_fields && s->keep_all && s->keep)
		vi_sink_keep(s, s->n_keep + f, text, len);
}

void vi_sink_row_done(vi_sink *s)
{
	size_t holes = s->row_holes;

	s->row_holes = 0;
	tell_held(s);
	if (s->need_one && holes && holes >= s->n_cols) {      /* nothing to go by */
		vi_fault_set(&s->fault, 0, VAE_EDATA, "every model column of the row is missing");
		return;
	}
	if (s->row_missing) {
		s->row_missing = 0;
		s->skipped++;
		if (s->keep)
			s->keep->len = s->keep_len;     /* drop its kept fields */
		return;
	}
	s->row++;
	if (s->keep)
		s->keep_len = s->keep->len;
}

static void drop_codes(vi_sink *s);

/* ======================================================================
 * Opening
 * ==================================================================== */

vae_read_opts vae_read_defaults(void)
{
	vae_read_opts o = { VAE_FMT_AUTO, VAE_HEADER_AUTO, 0, 0 };

	return o;
}

static int is_number(const char *s)
{
	char *end;

	if (!*s)
		return 0;
	(void)strtod(s, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	return end != s && !*end;
}

/* A first record with any non-empty, non-numeric field is a header. */
static int looks_like_header(const vae_reader *r)
{
	for (size_t f = 0; f < r->sink.n_fields; f++) {
		const char *s = r->text.first[f];
		if (*s && !is_na(s) && !is_number(s))
			return 1;
	}
	return 0;
}

/* Have the whole first line (or a full buffer) in hand, so the delimiter is
 * guessed from all of it even when a pipe delivers it in pieces. */
static int whole_first_line(vi_source *s)
{
	while (!memchr(s->buf + s->pos, '\n', s->len - s->pos) && !s->eof
	       && s->len - s->pos < VI_SOURCE_BLOCK)
		if (vi_source_need(s, s->len - s->pos + 1))
			break;
	return s->fault->rc;
}

/* Start the text parser and read the first record, to tell a header. */
static int open_text(vae_reader *r, const vae_read_opts *o, vae_err *e)
{
	if (!o->delim && o->format == VAE_FMT_AUTO && whole_first_line(&r->src))
		return r->sink.fault.rc;
	if (vi_text_init(&r->text, &r->src, &r->sink, o->format, o->delim))
		return vi_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate a CSV parser");
	r->format = r->text.delim == '\t' ? VAE_FMT_TSV : VAE_FMT_CSV;
	if (vi_text_pump(&r->text))
		return r->sink.fault.rc;
	r->sink.comma_guessed = !o->delim && o->format == VAE_FMT_AUTO && r->text.delim == ',';
	r->header_guessed = o->header == VAE_HEADER_AUTO;
	r->has_header = r->header_guessed ? looks_like_header(r) : o->header == VAE_HEADER_YES;
	r->first_pending = r->sink.n_fields > 0 && !r->has_header;
	return 0;
}

/* Sniff the first bytes (after gunzip) and read the format's header. */
static int sniff(vae_reader *r, const vae_read_opts *o, vae_err *e)
{
	vi_source *s = &r->src;
	vi_fault *fault = &r->sink.fault;
	int fmt = o->format;

	if (vi_source_need(s, 1) && (fault->rc || (fmt != VAE_FMT_NPY && fmt != VAE_FMT_IDX)))
		return fault->rc;               /* empty input: no fields */
	if (fmt != VAE_FMT_NPY && fmt != VAE_FMT_IDX && s->buf[0] == 0xef && !vi_source_need(s, 3)
	    && !memcmp(s->buf, "\xef\xbb\xbf", 3))
		s->pos = 3;     /* a UTF-8 byte-order mark, as spreadsheets write "CSV UTF-8": not data */
	fault->line = 0;                    /* header errors have no line */
	if (fmt == VAE_FMT_AUTO && s->buf[0] == 0x93 && !vi_source_need(s, 6)
	    && !memcmp(s->buf, "\x93NUMPY", 6))
		fmt = VAE_FMT_NPY;              /* else text that starts with 0x93 */
	else if (fmt == VAE_FMT_AUTO && s->buf[0] == 0)
		fmt = VAE_FMT_IDX;              /* text never starts with NUL */
	r->format = fmt;
	if (fmt == VAE_FMT_NPY)
		return vi_npy_header(&r->tensor, s, &r->sink);
	if (fmt == VAE_FMT_IDX)
		return vi_idx_header(&r->tensor, s, &r->sink);
	fault->line = 1;
	return open_text(r, o, e);
}

vae_reader *vae_reader_open(const char *path, const vae_read_opts *o, vae_err *e)
{
	int is_stdin = !path || !strcmp(path, "-"), fd;
	vae_reader *r = calloc(1, sizeof *r);

	if (!r || vi_source_init(&r->src, &r->sink.fault)
	    || !(r->path = strdup(is_stdin ? "<stdin>" : path))) {
		vi_fail(e, VAE_ENOMEM, path, 0, 0, "cannot allocate a reader");
		goto fail;
	}
	r->sink.fault.path = r->path;
	r->sink.fault.line = 1;
	r->sink.missing = o->missing;
	r->format = VAE_FMT_CSV;
	fd = is_stdin ? STDIN_FILENO : open(r->path, O_RDONLY);
	if (fd < 0) {
		vi_fail(e, VAE_ENOINPUT, r->path, 0, 0, "cannot open: %s", strerror(errno));
		goto fail;
	}
	if (vi_source_start(&r->src, fd) || sniff(r, o, e))
		goto fail;
	return r;
fail:
	if (r && r->sink.fault.rc)
		tell(&r->sink.fault, e);
	vae_reader_close(r);
	return NULL;
}

void vae_reader_close(vae_reader *r)
{
	if (!r)
		return;
	vi_source_free(&r->src);
	vi_text_free(&r->text);
	vi_tensor_free(&r->tensor);
	drop_codes(&r->sink);
	free(r->sink.col_of);
	free(r->sink.keep_of);
	free(r->col_field);
	free(r->keep_field);
	free(r->name_slot);
	free(r->path);
	free(r);
}

vae_rows *vae_rows_open(const vae_reader *r, vae_err *e)
{
	const vi_tensor *t = &r->tensor;
	const vi_sink *k = &r->sink;
	struct stat st;
	int plain = (r->format == VAE_FMT_NPY || r->format == VAE_FMT_IDX) && !r->src.gzip
	          && !t->fortran && t->size <= 4 && k->n_cols == k->n_fields && !k->n_keep;
	size_t f = 0;
	int fd;

	while (plain && f < k->n_fields && k->col_of[f] == (int)f)
		f++;
	if (!plain || f < k->n_fields || (fd = open(r->path, O_RDONLY)) < 0) {
		vi_fail(e, VAE_EPARAM, r->path, 0, 0, "not a plain NPY (C order) or IDX file of its "
		        "columns in order, of elements of up to 4 bytes");
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || t->rows > (uint64_t)SIZE_MAX / (k->n_fields ? k->n_fields : 1)
	    || (uint64_t)st.st_size < t->data_at + t->rows * k->n_fields * (uint64_t)t->size) {
		close(fd);
		vi_fail(e, VAE_EPARAM, r->path, 0, 0, "not a regular file that holds the rows its "
		        "header says");
		return NULL;
	}
	return vi_rows_file(fd, r->path, t->data_at, (size_t)t->rows, k->n_fields, t->kind, t->size,
	                    t->big_endian, e);
}

int vae_reader_format(const vae_reader *r) { return r->format; }
uint64_t vae_reader_bytes(const vae_reader *r) { return r->src.raw_bytes; }
uint64_t vae_reader_size(const vae_reader *r) { return r->src.size; }
size_t vae_reader_n_fields(const vae_reader *r) { return r->sink.n_fields; }
const char *vae_reader_path(const vae_reader *r) { return r->path; }
size_t vae_reader_n_cols(const vae_reader *r) { return r->sink.n_cols; }
size_t vae_reader_n_keep(const vae_reader *r) { return r->sink.n_keep; }
unsigned long vae_reader_skipped(const vae_reader *r) { return r->sink.skipped; }
void vae_reader_keep_all(vae_reader *r, int on) { r->sink.keep_all = on; }
void vae_reader_impossible(vae_reader *r, int on) { r->sink.impossible = on; }

size_t vae_reader_unnamed(const vae_reader *r, size_t *first)
{
	if (first)
		*first = r->first_unnamed;
	return r->n_unnamed;
}

int vae_reader_image(const vae_reader *r, uint32_t *h, uint32_t *w)
{
	*h = r->tensor.image_h;
	*w = r->tensor.image_w;
	return *h > 0 && *w > 0;
}

const char *vae_reader_name(const vae_reader *r, size_t i)
{
	return r->has_header && i < r->sink.n_fields ? r->text.first[i] : NULL;
}

const char *vae_reader_col_name(const vae_reader *r, size_t j)
{
	return j < r->sink.n_cols ? vae_reader_name(r, r->col_field[j]) : NULL;
}

const char *vae_reader_keep_name(const vae_reader *r, size_t j)
{
	return j < r->sink.n_keep ? vae_reader_name(r, r->keep_field[j]) : NULL;
}

size_t vae_reader_col_field(const vae_reader *r, size_t j)
{
	return j < r->sink.n_cols ? r->col_field[j] + 1 : 0;
}

size_t vae_reader_keep_field(const vae_reader *r, size_t j)
{
	return j < r->sink.n_keep ? r->keep_field[j] + 1 : 0;
}

/* ======================================================================
 * Reading a chunk
 * ==================================================================== */

/* Parse rows into the sink's chunk, from where the last call stopped. */
static void pump(vae_reader *r)
{
	if (r->format == VAE_FMT_NPY || r->format == VAE_FMT_IDX) {
		vi_tensor_pump(&r->tensor);
		return;
	}
	if (r->first_pending) {
		r->first_pending = 0;
		vi_text_first_data(&r->text);
	}
	if (!r->sink.fault.rc)
		vi_text_pump(&r->text);
}

long vae_reader_read(vae_reader *r, vae_mat *x, vae_text *keep, size_t max, vae_err *e)
{
	vi_sink *s = &r->sink;

	s->x = x;
	s->keep = s->n_keep || s->keep_all ? keep : NULL;
	s->row = 0;
	s->keep_len = 0;
	s->max = max;
	if (keep) {
		keep->cols = s->n_keep + (s->keep_all ? s->n_fields : 0);
		keep->len = 0;
		if (text_reserve(keep, 1, max * keep->cols + 1))
			return vi_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate pass-through fields");
	}
	if (s->n_fields > 0 && max > 0)
		pump(r);
	x->rows = s->row;
	if (keep) {
		keep->rows = s->row;
		keep->len = s->keep_len;        /* drop a failed row's fields */
	}
	return s->fault.rc ? tell(&s->fault, e) : (long)s->row;
}

/* ======================================================================
 * Column lists: "1,3-5,7-" or header names, like cut -f
 * ==================================================================== */

/* Hash the first record's fields once, so matching n names against nf
 * fields costs n + nf steps, not n x nf: a 40,000-column header took 8.5 s
 * when every model column scanned the whole header.  Open addressing at
 * most half full; a name that repeats takes later slots in field order,
 * which a probe meets in that order.  @return 0, or -1 when memory is
 * short (the caller then scans). */
static int index_names(vae_reader *r)
{
	size_t nf = r->sink.n_fields, slots = 16;

	while (slots < 2 * nf)
		slots *= 2;
	if (!(r->name_slot = calloc(slots, sizeof *r->name_slot)))
		return -1;
	r->name_mask = slots - 1;
	for (size_t f = 0; f < nf; f++) {
		const char *s = r->text.first[f];
		size_t i = (size_t)vi_hash_text(s, strlen(s)) & r->name_mask;
		while (r->name_slot[i])
			i = (i + 1) & r->name_mask;
		r->name_slot[i] = f + 1;
	}
	return 0;
}

static int is_named(const vae_reader *r, size_t f, const char *name, size_t len)
{
	const char *s = r->text.first[f];

	return strlen(s) == len && !memcmp(s, name, len);
}

/* The first field named name among those allowed (all when allowed is NULL). */
static long find_name_in(vae_reader *r, const char *name, size_t len, const char *allowed)
{
	if (!r->has_header)
		return -1;
	if (!r->name_slot && index_names(r))
		for (size_t f = 0; f < r->sink.n_fields; f++)
			if ((!allowed || allowed[f]) && is_named(r, f, name, len))
				return (long)f;
	for (size_t i = (size_t)vi_hash_text(name, len) & r->name_mask; r->name_slot && r->name_slot[i];
	     i = (i + 1) & r->name_mask) {
		size_t f = r->name_slot[i] - 1;
		if ((!allowed || allowed[f]) && is_named(r, f, name, len))
			return (long)f;
	}
	return -1;
}

static long find_name(vae_reader *r, const char *name, size_t len)
{
	return find_name_in(r, name, len, NULL);
}

/* Parse "N", "N-M", "N-", "-M"; @return 0, or -1 when tok is not a range. */
static int parse_range(const char *tok, size_t len, size_t n, size_t *lo, size_t *hi)
{
	char buf[64], *end;
	unsigned long a = 1, b = n;

	if (len == 0 || len >= sizeof buf || strspn(tok, "0123456789-") < len)
		return -1;
	memcpy(buf, tok, len);
	buf[len] = 0;
	char *dash = strchr(buf, '-');
	if (dash != buf) {
		a = strtoul(buf, &end, 10);
		if (end != (dash ? dash : buf + len))
			return -1;
	}
	if (dash && dash[1]) {
		b = strtoul(dash + 1, &end, 10);
		if (*end)
			return -1;
	} else if (!dash) {
		b = a;
	}
	*lo = a;
	*hi = b;
	return 0;
}

/* Mark the fields a list names in sel[0..n_fields); about: which list
 * (VAE_ABOUT_KEEP or VAE_ABOUT_FIELDS), for the message. */
static int parse_list(vae_reader *r, const char *list, int about, char *sel, vae_err *e)
{
	const char *p = list;
	int rc = 0;

	while (*p && !rc) {
		size_t len = strcspn(p, ","), lo, hi;
		long f;
		if (parse_range(p, len, r->sink.n_fields, &lo, &hi) == 0) {
			if (lo == 0 || hi < lo)
				rc = vi_fail(e, VAE_EPARAM, NULL, 0, 0, "bad range \"%.*s\"", (int)len, p);
			else if (hi > r->sink.n_fields)
				rc = vi_fail(e, VAE_EDATA, r->path, r->text.first_line, 0,
				             "field %zu does not exist, the input has %zu", hi, r->sink.n_fields);
			for (size_t i = lo; !rc && i <= hi; i++)
				sel[i - 1] = 1;
		} else if ((f = find_name(r, p, len)) >= 0) {
			sel[f] = 1;
		} else {
			rc = vi_fail(e, VAE_EDATA, r->path, r->text.first_line, 0,
			             r->has_header ? "no column \"%.*s\" in the header"
			                           : "column \"%.*s\" needs a header line", (int)len, p);
		}
		p += len + (p[len] == ',');
	}
	return vi_about(e, about, rc);
}

/* Model columns by name, in the model's order, among the fields -f allows;
 * a field -f names that the model does not have is an error. */
static int select_by_name(vae_reader *r, const char *const *names, size_t n, const char *allowed,
                          vae_err *e)
{
	for (size_t j = 0; j < n; j++) {
		long f = find_name_in(r, names[j], strlen(names[j]), allowed);
		if (f < 0)
			return vi_about(e, allowed ? VAE_ABOUT_FIELDS : VAE_ABOUT_NOTHING,
			                vi_fail(e, VAE_EDATA, r->path, r->text.first_line, 0,
			                        "the model's column \"%s\" is not %s", names[j],
			                        allowed ? "among the fields selected" : "in the header"));
		if (r->sink.col_of[f] >= 0)
			return vi_fail(e, VAE_EDATA, r->path, r->text.first_line, 0,
			                "the model's column \"%s\" appears twice in the model", names[j]);
		r->sink.col_of[f] = (int)j;
		r->col_field[j] = (size_t)f;
	}
	for (size_t f = 0; allowed && f < r->sink.n_fields; f++)
		if (allowed[f] && r->sink.col_of[f] < 0)
			return vi_about(e, VAE_ABOUT_FIELDS,
			                vi_fail(e, VAE_EDATA, r->path, r->text.first_line, f + 1,
			                        "\"%s\" is selected but is not a column of the model",
			                        r->text.first[f]));
	r->sink.n_cols = n;
	return 0;
}

/* A field that could be a value of a model column: a number or missing. */
static int is_value(const char *s)
{
	return !*s || is_na(s) || is_number(s);
}

/* A first line guessed to be a header (it holds text) that names none of
 * the model's columns is data when, taken as data, it would be a row: the
 * lists name fields by number only, and its model columns are n numbers,
 * so the text is in kept or other fields, as in a part cut from headerless
 * rows by split(1), ids in front.  Otherwise the guess is reported, for
 * the program to say how to override it.  @return 0 or VAE_EDATA. */
static int check_guessed_header(vae_reader *r, const char *fields, const char *keep,
                                const char *const *names, size_t n, char *fsel, char *ksel,
                                vae_err *e)
{
	size_t nf = r->sink.n_fields, cols = 0;
	int data, rc = 0;

	for (size_t j = 0; j < n; j++)
		if (find_name(r, names[j], strlen(names[j])) >= 0)
			return 0;               /* it names a model column: a header */
	r->has_header = 0;                      /* as data, the lists are numbers */
	if (keep)
		rc = parse_list(r, keep, VAE_ABOUT_KEEP, ksel, e);
	if (!rc && fields)
		rc = parse_list(r, fields, VAE_ABOUT_FIELDS, fsel, e);
	if (rc == VAE_EPARAM)
		return rc;                      /* not a list, header or not */
	data = !rc;
	for (size_t f = 0; data && f < nf; f++)
		if (fields ? fsel[f] : !ksel[f])
			data = ++cols <= n && is_value(r->text.first[f]);
	memset(fsel, 0, nf);
	memset(ksel, 0, nf);
	if (data && cols == n) {
		r->first_pending = 1;
		return 0;
	}
	r->has_header = 1;
	/* one field where the model has several: the delimiter, not the header */
	int about = nf > 1 || n == 1 ? VAE_ABOUT_HEADER_GUESS
	          : r->sink.comma_guessed ? VAE_ABOUT_DELIMITER_GUESS : VAE_ABOUT_NOTHING;
	return vi_about(e, about, vi_fail(e, VAE_EDATA, r->path, r->text.first_line, 0,
	                "the first line was taken for a header but names none of the model's columns"));
}

static int select_columns(vae_reader *r, const char *fields, const char *keep,
                          const char *const *names, size_t n, char *fsel, char *ksel,
                          vae_err *e)
{
	int rc;

	if (names && n > 0 && r->has_header && r->header_guessed && r->format != VAE_FMT_NPY
	    && r->format != VAE_FMT_IDX && (rc = check_guessed_header(r, fields, keep, names, n,
	                                                               fsel, ksel, e)))
		return rc;
	if (keep && (rc = parse_list(r, keep, VAE_ABOUT_KEEP, ksel, e)))
		return rc;
	if (fields && (rc = parse_list(r, fields, VAE_ABOUT_FIELDS, fsel, e)))
		return rc;
	for (size_t f = 0; f < r->sink.n_fields; f++) {
		if (ksel[f]) {
			r->sink.keep_of[f] = (int)r->sink.n_keep;
			r->keep_field[r->sink.n_keep++] = f;
		}
		if (!fields)
			fsel[f] = !ksel[f];
	}
	if (names && r->has_header)
		return select_by_name(r, names, n, fields ? fsel : NULL, e);
	/* by position: a field with no name in the header (R's row names) is
	 * no model column unless -f names it */
	for (size_t f = 0; !fields && r->has_header && f < r->sink.n_fields; f++)
		if (fsel[f] && !*r->text.first[f]) {
			fsel[f] = 0;
			if (!r->n_unnamed++)
				r->first_unnamed = f;
		}
	for (size_t f = 0; f < r->sink.n_fields; f++)
		if (fsel[f]) {
			r->sink.col_of[f] = (int)r->sink.n_cols;
			r->col_field[r->sink.n_cols++] = f;
		}
	if (n > 0 && r->sink.n_cols != n && r->n_unnamed)
		return vi_fail(e, VAE_EDATA, r->path, r->text.first_line, 0,
		                "expected %zu model columns, got %zu (of %zu fields, %zu kept, "
		                "%zu without a name in the header)", n, r->sink.n_cols,
		                r->sink.n_fields, r->sink.n_keep, r->n_unnamed);
	if (n > 0 && r->sink.n_cols != n)
		return vi_fail(e, VAE_EDATA, r->path, r->text.first_line, 0,
		                "expected %zu model columns, got %zu (of %zu fields, %zu kept)",
		                n, r->sink.n_cols, r->sink.n_fields, r->sink.n_keep);
	return 0;
}

int vae_reader_select(vae_reader *r, const char *fields, const char *keep,
                      const char *const *names, size_t n, vae_err *e)
{
	size_t nf = r->sink.n_fields ? r->sink.n_fields : 1;
	char *fsel, *ksel;
	int rc;

	/* Every field a model column: the width is checked before the maps
	 * are sized from it (select_columns would find the same).  A header
	 * line's width is its real bytes, and may hold unnamed fields that
	 * are left out, so only input without one is checked here. */
	if (n > 0 && !fields && !keep && !r->has_header && r->sink.n_fields
	    && r->sink.n_fields != n)
		return vi_fail(e, VAE_EDATA, r->path, r->text.first_line, 0,
		               "expected %zu model columns, got %zu (of %zu fields, 0 kept)",
		               n, r->sink.n_fields, r->sink.n_fields);
	drop_codes(&r->sink);                   /* they were for the old columns */
	fsel = calloc(nf, 1);
	ksel = calloc(nf, 1);
	free(r->sink.col_of);
	free(r->sink.keep_of);
	free(r->col_field);
	free(r->keep_field);
	r->sink.n_cols = r->sink.n_keep = r->n_unnamed = 0;
	r->sink.col_of = malloc(nf * sizeof *r->sink.col_of);
	r->sink.keep_of = malloc(nf * sizeof *r->sink.keep_of);
	r->col_field = malloc((n > nf ? n : nf) * sizeof *r->col_field);
	r->keep_field = malloc(nf * sizeof *r->keep_field);
	if (!fsel || !ksel || !r->sink.col_of || !r->sink.keep_of || !r->col_field || !r->keep_field) {
		rc = vi_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate the column map");
	} else {
		for (size_t f = 0; f < nf; f++)
			r->sink.col_of[f] = r->sink.keep_of[f] = -1;
		rc = r->sink.n_fields ? select_columns(r, fields, keep, names, n, fsel, ksel, e) : 0;
	}
	free(fsel);
	free(ksel);
	return rc;
}

/* ======================================================================
 * Model columns read as their kinds say, or learnt by a survey
 * ==================================================================== */

/* Back to plain numbers in every model column. */
static void drop_codes(vi_sink *s)
{
	for (size_t j = 0; s->code && j < s->n_cols; j++) {
		vi_levels_free(s->code[j].levels);
		free(s->code[j].index);
		free(s->code[j].what);
	}
	free(s->code);
	s->code = NULL;
	s->survey = NULL;
}

/* Column j of m, the input's field (1-based), as c reads it.  @return 0,
 * or -1 when memory is short. */
static int use_column(vi_coding *c, const vae_model *m, size_t j, size_t field)
{
	static const int HOW[VAE_N_KINDS] = { VI_PLAIN, VI_POSITIVE, VI_COUNT, VI_LEVELS, VI_LEVELS };
	const vae_column *col = vae_model_column(m, j);
	const char *name = vae_model_name(m, j);
	char shown[200];
	int n;

	c->how = col->kind > 0 && col->kind < VAE_N_KINDS ? HOW[col->kind] : VI_PLAIN;
	if (c->how == VI_PLAIN)
		return 0;
	c->kind = vae_names(VAE_NAMES_KIND, NULL)[col->kind];
	n = name ? snprintf(NULL, 0, "column \"%s\"", vi_visible(shown, sizeof shown, name, strlen(name)))
	         : snprintf(NULL, 0, "field %zu", field);
	if (!(c->what = malloc((size_t)n + 1)))
		return -1;
	if (name)
		snprintf(c->what, (size_t)n + 1, "column \"%s\"", shown);
	else
		snprintf(c->what, (size_t)n + 1, "field %zu", field);
	if (c->how != VI_LEVELS)
		return 0;
	c->n_levels = col->levels ? col->n_levels : 0;
	c->other = col->other && c->n_levels ? (long)c->n_levels - 1 : -1;
	if (!(c->levels = vi_levels_new())
	    || !(c->index = malloc((c->n_levels ? c->n_levels : 1) * sizeof *c->index)))
		return -1;
	for (size_t i = 0; i < c->n_levels; i++) {
		size_t had = vi_levels_count(c->levels);
		long k = vi_levels_add(c->levels, col->levels[i], strlen(col->levels[i]));
		if (k < 0)
			return -1;
		if (vi_levels_count(c->levels) > had)
			c->index[k] = i;
	}
	return 0;
}

int vae_reader_use_model(vae_reader *r, const vae_model *m, vae_err *e)
{
	vi_sink *s = &r->sink;
	int coded = 0;

	drop_codes(s);
	if (!s->n_fields)
		return 0;                       /* empty input: nothing to read */
	if (vae_model_arch(m)->n_in != s->n_cols)
		return vi_fail(e, VAE_EPARAM, r->path, 0, 0, "%zu model columns selected, the model "
		               "has %zu", s->n_cols, vae_model_arch(m)->n_in);
	if (!vae_model_is_table(m))
		return 0;
	s->need_one = 1;
	if (!(s->code = calloc(s->n_cols, sizeof *s->code)))
		return vi_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate the levels of the columns");
	for (size_t j = 0; j < s->n_cols; j++) {
		if (use_column(&s->code[j], m, j, r->col_field[j] + 1)) {
			drop_codes(s);
			return vi_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate the levels of the columns");
		}
		coded |= s->code[j].how != VI_PLAIN;
	}
	if (!coded)
		drop_codes(s);                  /* real columns only (masked): the fast paths */
	return 0;
}

int vae_reader_survey(vae_reader *r, vae_survey *sv, vae_err *e)
{
	vi_sink *s = &r->sink;

	drop_codes(s);
	if (!s->n_fields)
		return 0;                       /* empty input: nothing to read */
	if (vi_survey_width(sv) != s->n_cols)
		return vi_fail(e, VAE_EPARAM, r->path, 0, 0, "%zu model columns selected, the survey "
		               "has %zu", s->n_cols, vi_survey_width(sv));
	if (s->n_cols && !(s->code = calloc(s->n_cols, sizeof *s->code)))
		return vi_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate the survey's columns");
	for (size_t j = 0; j < s->n_cols; j++)
		s->code[j].how = VI_SURVEY;
	s->survey = sv;
	s->need_one = 1;
	return 0;
}
