/* read.c: the input (read(2) and inflate), sniffing the format, the values
 * and rows every format shares, and choosing the columns. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read.h"

/* ======================================================================
 * The input: plain or gzip, read as it arrives
 * ==================================================================== */

/* zlib's gzread waits until its buffer is full; read(2) returns what a pipe
 * has, so `tail -f log | vae-score -u` answers each line at once. */
static ssize_t raw_read(vae_reader *r, void *b, size_t n)
{
	ssize_t got;

	do
		got = read(r->src.fd, b, n);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		vi_io_fail(r, 0, VAE_EIO, "cannot read: %s", strerror(errno));
	return got;
}

/* Read ahead until the gzip magic can be told; start inflate if present. */
static int src_start(vae_reader *r)
{
	io_src *s = &r->src;

	while (s->in_len < 2 && !s->raw_eof) {
		ssize_t got = raw_read(r, s->in + s->in_len, IO_BLOCK - s->in_len);
		if (got < 0)
			return r->rc;
		s->raw_eof = got == 0;
		s->in_len += (size_t)got;
	}
	if (s->in_len < 2 || s->in[0] != 0x1f || s->in[1] != 0x8b)
		return 0;
	s->gzip = 1;
	if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
		return vi_io_fail(r, 0, VAE_ENOMEM, "cannot start gzip decompression");
	s->z.next_in = s->in;
	s->z.avail_in = (uInt)s->in_len;
	return 0;
}

static size_t src_plain(vae_reader *r, unsigned char *out, size_t cap)
{
	io_src *s = &r->src;
	ssize_t got;

	if (s->in_pos < s->in_len) {            /* what src_start read ahead */
		size_t n = s->in_len - s->in_pos < cap ? s->in_len - s->in_pos : cap;
		memcpy(out, s->in + s->in_pos, n);
		s->in_pos += n;
		return n;
	}
	if (s->raw_eof || (got = raw_read(r, out, cap)) <= 0)
		return 0;
	return (size_t)got;
}

/* Inflate into out until something comes out or the input ends; gzip
 * members may follow one another, as gzip(1) writes with -c >>. */
static size_t src_inflate(vae_reader *r, unsigned char *out, size_t cap)
{
	z_stream *z = &r->src.z;
	io_src *s = &r->src;

	z->next_out = out;
	z->avail_out = (uInt)cap;
	while (z->avail_out == cap && !r->rc) {
		if (z->avail_in == 0 && !s->raw_eof) {
			ssize_t got = raw_read(r, s->in, IO_BLOCK);
			if (got < 0)
				break;
			s->raw_eof = got == 0;
			z->next_in = s->in;
			z->avail_in = (uInt)got;
		}
		if (s->z_end) {
			if (z->avail_in == 0 && s->raw_eof)
				break;                  /* the last member ended */
			if (z->avail_in == 0)
				continue;
			inflateReset(z);
			s->z_end = 0;
		}
		int rc = inflate(z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END)
			s->z_end = 1;
		else if (rc == Z_BUF_ERROR && s->raw_eof && z->avail_in == 0)
			vi_io_fail(r, 0, VAE_EDATA, "truncated gzip data");
		else if (rc != Z_OK && rc != Z_BUF_ERROR)
			vi_io_fail(r, 0, VAE_EDATA, "corrupt gzip data: %s", z->msg ? z->msg : "bad stream");
	}
	return cap - z->avail_out;
}

int vi_io_refill(vae_reader *r)
{
	r->pos = 0;
	r->len = r->eof || r->rc ? 0
	       : r->src.gzip ? src_inflate(r, r->buf, IO_BLOCK) : src_plain(r, r->buf, IO_BLOCK);
	r->eof = r->len == 0;
	return r->rc;
}

int vi_io_need(vae_reader *r, size_t n)
{
	memmove(r->buf, r->buf + r->pos, r->len - r->pos);
	r->len -= r->pos;
	r->pos = 0;
	while (r->len < n && !r->eof && !r->rc) {
		size_t got = r->src.gzip ? src_inflate(r, r->buf + r->len, IO_BLOCK - r->len)
		                         : src_plain(r, r->buf + r->len, IO_BLOCK - r->len);
		r->eof = got == 0;
		r->len += got;
	}
	return r->len >= n ? 0 : -1;
}

/* ======================================================================
 * Values and rows, in every format
 * ==================================================================== */

int vi_io_fail(vae_reader *r, unsigned long col, int code, const char *fmt, ...)
{
	char msg[sizeof r->e->msg];
	va_list ap;

	if (r->rc)
		return r->rc;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->rc = vi_fail(r->e, code, r->path, r->rec_line, col, "%s", msg);
	return r->rc;
}

/* The spellings of a missing value in text. */
static int is_na(const char *s)
{
	static const char *const NA[] = { "", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null" };

	for (size_t i = 0; i < sizeof NA / sizeof *NA; i++)
		if (!strcmp(s, NA[i]))
			return 1;
	return 0;
}

void vi_io_bad_value(vae_reader *r, size_t f, int nonfinite, const char *text)
{
	if (r->skip_missing && (nonfinite || is_na(text))) {
		r->row_missing = 1;
		return;
	}
	if (!*text)
		vi_io_fail(r, f + 1, VAE_EDATA, "expected a number, got an empty field");
	else
		vi_io_fail(r, f + 1, VAE_EDATA, nonfinite ? "expected a finite number, got \"%s\""
		            : "expected a number, got \"%s\"", text);
}

int vi_io_text_reserve(vae_text *t, size_t bytes, size_t offs)
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

void vi_io_keep(vae_reader *r, size_t k, const char *s, size_t len)
{
	vae_text *t = r->keep;
	size_t i = r->row * t->cols + k;

	if (vi_io_text_reserve(t, len + 1, i + 2)) {
		vi_io_fail(r, 0, VAE_ENOMEM, "cannot allocate pass-through fields");
		return;
	}
	t->off[i] = t->len;
	memcpy(t->buf + t->len, s, len);
	t->buf[t->len + len] = 0;
	t->len += len + 1;
}

void vi_io_row_done(vae_reader *r)
{
	if (r->row_missing) {
		r->row_missing = 0;
		r->skipped++;
		if (r->keep)
			r->keep->len = r->keep_len;     /* drop its kept fields */
		return;
	}
	r->row++;
	if (r->keep)
		r->keep_len = r->keep->len;
}

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
	for (size_t f = 0; f < r->n_fields; f++)
		if (*r->first[f] && !is_na(r->first[f]) && !is_number(r->first[f]))
			return 1;
	return 0;
}

/* Have the whole first line (or a full buffer) in hand, so the delimiter is
 * guessed from all of it even when a pipe delivers it in pieces. */
static int first_line(vae_reader *r)
{
	while (!memchr(r->buf + r->pos, '\n', r->len - r->pos) && !r->eof
	       && r->len - r->pos < IO_BLOCK)
		if (vi_io_need(r, r->len - r->pos + 1))
			break;
	return r->rc;
}

static int open_text(vae_reader *r, const vae_read_opts *o, vae_err *e)
{
	if ((!o->delim && o->format == VAE_FMT_AUTO && first_line(r))
	    || vi_io_csv_init(r, o->format, o->delim, e) || vi_io_csv_pump(r))
		return r->rc ? r->rc : e->code;
	r->has_header = o->header == VAE_HEADER_AUTO ? looks_like_header(r) : o->header == VAE_HEADER_YES;
	r->first_pending = r->n_fields > 0 && !r->has_header;
	return 0;
}

/* Sniff the first bytes (after gunzip) and read the format's header. */
static int sniff(vae_reader *r, const vae_read_opts *o, vae_err *e)
{
	int fmt = o->format;

	if (vi_io_need(r, 1) && (r->rc || (fmt != VAE_FMT_NPY && fmt != VAE_FMT_IDX)))
		return r->rc;                   /* empty input: no fields */
	r->rec_line = 0;                    /* header errors have no line */
	if (fmt == VAE_FMT_AUTO && r->buf[0] == 0x93 && !vi_io_need(r, 6)
	    && !memcmp(r->buf, "\x93NUMPY", 6))
		fmt = VAE_FMT_NPY;              /* else text that starts with 0x93 */
	else if (fmt == VAE_FMT_AUTO && r->buf[0] == 0)
		fmt = VAE_FMT_IDX;              /* text never starts with NUL */
	r->format = fmt;
	if (fmt == VAE_FMT_NPY)
		return vi_io_npy_header(r);
	if (fmt == VAE_FMT_IDX)
		return vi_io_idx_header(r);
	r->rec_line = 1;
	return open_text(r, o, e);
}

vae_reader *vae_reader_open(const char *path, const vae_read_opts *o, vae_err *e)
{
	int is_stdin = !path || !strcmp(path, "-");
	vae_reader *r = calloc(1, sizeof *r);

	if (!r || !(r->buf = malloc(IO_BLOCK)) || !(r->src.in = malloc(IO_BLOCK))
	    || !(r->path = strdup(is_stdin ? "<stdin>" : path))) {
		vi_fail(e, VAE_ENOMEM, path, 0, 0, "cannot allocate a reader");
		goto fail;
	}
	r->e = e;
	r->line = r->rec_line = 1;
	r->in_first = 1;
	r->skip_missing = o->skip_missing;
	r->format = VAE_FMT_CSV;
	r->src.fd = is_stdin ? STDIN_FILENO : open(r->path, O_RDONLY);
	if (r->src.fd < 0) {
		vi_fail(e, VAE_ENOINPUT, r->path, 0, 0, "cannot open: %s", strerror(errno));
		goto fail;
	}
	if (src_start(r) || sniff(r, o, e))
		goto fail;
	return r;
fail:
	vae_reader_close(r);
	return NULL;
}

void vae_reader_close(vae_reader *r)
{
	if (!r)
		return;
	if (r->src.fd > STDIN_FILENO)
		close(r->src.fd);
	if (r->src.gzip)
		inflateEnd(&r->src.z);
	if (r->csv_live)
		csv_free(&r->csv);
	for (size_t f = 0; f < r->first_cap && r->first; f++)
		free(r->first[f]);
	free(r->first);
	free(r->t.row);
	free(r->col_of);
	free(r->keep_of);
	free(r->col_field);
	free(r->keep_field);
	free(r->src.in);
	free(r->buf);
	free(r->path);
	free(r);
}

int vae_reader_format(const vae_reader *r) { return r->format; }
size_t vae_reader_n_fields(const vae_reader *r) { return r->n_fields; }
const char *vae_reader_path(const vae_reader *r) { return r->path; }
size_t vae_reader_n_cols(const vae_reader *r) { return r->n_cols; }
size_t vae_reader_n_keep(const vae_reader *r) { return r->n_keep; }
unsigned long vae_reader_skipped(const vae_reader *r) { return r->skipped; }
void vae_reader_keep_all(vae_reader *r, int on) { r->keep_all = on; }

int vae_reader_image(const vae_reader *r, uint32_t *h, uint32_t *w)
{
	*h = r->t.image_h;
	*w = r->t.image_w;
	return *h > 0 && *w > 0;
}

const char *vae_reader_name(const vae_reader *r, size_t i)
{
	return r->has_header && i < r->n_fields ? r->first[i] : NULL;
}

const char *vae_reader_col_name(const vae_reader *r, size_t j)
{
	return j < r->n_cols ? vae_reader_name(r, r->col_field[j]) : NULL;
}

const char *vae_reader_keep_name(const vae_reader *r, size_t j)
{
	return j < r->n_keep ? vae_reader_name(r, r->keep_field[j]) : NULL;
}

/* ======================================================================
 * Reading a chunk
 * ==================================================================== */

long vae_reader_read(vae_reader *r, vae_mat *x, vae_text *keep, size_t max, vae_err *e)
{
	r->x = x;
	r->keep = r->n_keep || r->keep_all ? keep : NULL;
	r->row = 0;
	r->keep_len = 0;
	r->max = max;
	r->e = e;
	if (keep) {
		keep->cols = r->n_keep + (r->keep_all ? r->n_fields : 0);
		keep->len = 0;
		if (vi_io_text_reserve(keep, 1, max * keep->cols + 1))
			return vi_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate pass-through fields");
	}
	if (r->n_fields == 0 || max == 0)
		;
	else if (r->format == VAE_FMT_NPY || r->format == VAE_FMT_IDX)
		vi_io_tensor_pump(r);
	else {
		if (r->first_pending)
			vi_io_csv_first_data(r);
		if (!r->rc)
			vi_io_csv_pump(r);
	}
	x->rows = r->row;
	if (keep) {
		keep->rows = r->row;
		keep->len = r->keep_len;        /* drop a failed row's fields */
	}
	return r->rc ? r->rc : (long)r->row;
}

/* ======================================================================
 * Column lists: "1,3-5,7-" or header names, like cut -f
 * ==================================================================== */

/* The first field named name among those allowed (all when allowed is NULL). */
static long find_name_in(const vae_reader *r, const char *name, size_t len, const char *allowed)
{
	for (size_t f = 0; r->has_header && f < r->n_fields; f++)
		if ((!allowed || allowed[f]) && strlen(r->first[f]) == len && !memcmp(r->first[f], name, len))
			return (long)f;
	return -1;
}

static long find_name(const vae_reader *r, const char *name, size_t len)
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
static int parse_list(const vae_reader *r, const char *list, int about, char *sel, vae_err *e)
{
	const char *p = list;
	int rc = 0;

	while (*p && !rc) {
		size_t len = strcspn(p, ","), lo, hi;
		long f;
		if (parse_range(p, len, r->n_fields, &lo, &hi) == 0) {
			if (lo == 0 || hi < lo)
				rc = vi_fail(e, VAE_EPARAM, NULL, 0, 0, "bad range \"%.*s\"", (int)len, p);
			else if (hi > r->n_fields)
				rc = vi_fail(e, VAE_EDATA, r->path, r->first_line, 0,
				             "field %zu does not exist, the input has %zu", hi, r->n_fields);
			for (size_t i = lo; !rc && i <= hi; i++)
				sel[i - 1] = 1;
		} else if ((f = find_name(r, p, len)) >= 0) {
			sel[f] = 1;
		} else {
			rc = vi_fail(e, VAE_EDATA, r->path, r->first_line, 0,
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
			                vi_fail(e, VAE_EDATA, r->path, r->first_line, 0,
			                        "the model's column \"%s\" is not %s", names[j],
			                        allowed ? "among the fields selected" : "in the header"));
		if (r->col_of[f] >= 0)
			return vi_fail(e, VAE_EDATA, r->path, r->first_line, 0,
			                "the model's column \"%s\" appears twice in the model", names[j]);
		r->col_of[f] = (int)j;
		r->col_field[j] = (size_t)f;
	}
	for (size_t f = 0; allowed && f < r->n_fields; f++)
		if (allowed[f] && r->col_of[f] < 0)
			return vi_about(e, VAE_ABOUT_FIELDS,
			                vi_fail(e, VAE_EDATA, r->path, r->first_line, f + 1,
			                        "\"%s\" is selected but is not a column of the model",
			                        r->first[f]));
	r->n_cols = n;
	return 0;
}

static int select_columns(vae_reader *r, const char *fields, const char *keep,
                          const char *const *names, size_t n, char *fsel, char *ksel,
                          vae_err *e)
{
	int rc;

	if (keep && (rc = parse_list(r, keep, VAE_ABOUT_KEEP, ksel, e)))
		return rc;
	if (fields && (rc = parse_list(r, fields, VAE_ABOUT_FIELDS, fsel, e)))
		return rc;
	for (size_t f = 0; f < r->n_fields; f++) {
		if (ksel[f]) {
			r->keep_of[f] = (int)r->n_keep;
			r->keep_field[r->n_keep++] = f;
		}
		if (!fields)
			fsel[f] = !ksel[f];
	}
	if (names && r->has_header)
		return select_by_name(r, names, n, fields ? fsel : NULL, e);
	for (size_t f = 0; f < r->n_fields; f++)
		if (fsel[f]) {
			r->col_of[f] = (int)r->n_cols;
			r->col_field[r->n_cols++] = f;
		}
	if (n > 0 && r->n_cols != n)
		return vi_fail(e, VAE_EDATA, r->path, r->first_line, 0,
		                "expected %zu model columns, got %zu (of %zu fields, %zu kept)",
		                n, r->n_cols, r->n_fields, r->n_keep);
	return 0;
}

int vae_reader_select(vae_reader *r, const char *fields, const char *keep,
                      const char *const *names, size_t n, vae_err *e)
{
	size_t nf = r->n_fields ? r->n_fields : 1;
	char *fsel = calloc(nf, 1), *ksel = calloc(nf, 1);
	int rc;

	free(r->col_of);
	free(r->keep_of);
	free(r->col_field);
	free(r->keep_field);
	r->n_cols = r->n_keep = 0;
	r->col_of = malloc(nf * sizeof *r->col_of);
	r->keep_of = malloc(nf * sizeof *r->keep_of);
	r->col_field = malloc((n > nf ? n : nf) * sizeof *r->col_field);
	r->keep_field = malloc(nf * sizeof *r->keep_field);
	if (!fsel || !ksel || !r->col_of || !r->keep_of || !r->col_field || !r->keep_field) {
		rc = vi_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate the column map");
	} else {
		for (size_t f = 0; f < nf; f++)
			r->col_of[f] = r->keep_of[f] = -1;
		rc = r->n_fields ? select_columns(r, fields, keep, names, n, fsel, ksel, e) : 0;
	}
	free(fsel);
	free(ksel);
	return rc;
}
