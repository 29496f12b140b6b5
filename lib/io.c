/* io.c: opening an input (gunzip, sniff, header) and choosing its columns. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"

/* ======================================================================
 * Opening
 * ==================================================================== */

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
		if (*r->first[f] && !is_number(r->first[f]))
			return 1;
	return 0;
}

static int open_gz(vae_reader *r, int is_stdin, vae_err *e)
{
	int fd = is_stdin ? dup(STDIN_FILENO) : open(r->path, O_RDONLY);

	if (fd < 0)
		return vae_fail(e, VAE_ENOINPUT, r->path, 0, 0, "cannot open: %s", strerror(errno));
	if (!(r->gz = gzdopen(fd, "rb"))) {
		close(fd);
		return vae_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate a decompressor");
	}
	gzbuffer(r->gz, IO_BLOCK);
	return 0;
}

static int init_csv(vae_reader *r, int format, vae_err *e)
{
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL))
		return vae_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate a CSV parser");
	r->delim = format == VAE_FMT_TSV ? '\t' : format == VAE_FMT_CSV ? ','
	         : sniff_delim(r->buf, r->len);
	r->format = r->delim == '\t' ? VAE_FMT_TSV : VAE_FMT_CSV;
	csv_set_delim(&r->csv, (unsigned char)r->delim);
	csv_set_space_func(&r->csv, no_space);
	return 0;
}

vae_reader *vae_reader_open(const char *path, int format, int header, vae_err *e)
{
	int is_stdin = !path || !strcmp(path, "-");
	vae_reader *r = calloc(1, sizeof *r);

	if (!r || !(r->buf = malloc(IO_BLOCK)) || !(r->path = strdup(is_stdin ? "<stdin>" : path))) {
		vae_fail(e, VAE_ENOMEM, path, 0, 0, "cannot allocate a reader");
		goto fail;
	}
	r->e = e;
	r->line = r->rec_line = 1;
	r->in_first = 1;
	if (open_gz(r, is_stdin, e) || vae_io_refill(r) || init_csv(r, format, e) || vae_io_pump(r))
		goto fail;
	r->has_header = header == VAE_HEADER_AUTO ? looks_like_header(r) : header == VAE_HEADER_YES;
	r->first_pending = r->n_fields > 0 && !r->has_header;
	return r;
fail:
	vae_reader_close(r);
	return NULL;
}

void vae_reader_close(vae_reader *r)
{
	if (!r)
		return;
	if (r->gz) {
		gzclose(r->gz);
		csv_free(&r->csv);
	}
	for (size_t f = 0; f < r->first_cap && r->first; f++)
		free(r->first[f]);
	free(r->first);
	free(r->col_of);
	free(r->keep_of);
	free(r->col_field);
	free(r->keep_field);
	free(r->buf);
	free(r->path);
	free(r);
}

int vae_reader_format(const vae_reader *r) { return r->format; }
size_t vae_reader_n_fields(const vae_reader *r) { return r->n_fields; }
const char *vae_reader_path(const vae_reader *r) { return r->path; }
size_t vae_reader_n_cols(const vae_reader *r) { return r->n_cols; }
size_t vae_reader_n_keep(const vae_reader *r) { return r->n_keep; }

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
 * Column lists: "1,3-5,7-" or header names, like cut -f
 * ==================================================================== */

static long find_name(const vae_reader *r, const char *name, size_t len)
{
	for (size_t f = 0; r->has_header && f < r->n_fields; f++)
		if (strlen(r->first[f]) == len && !memcmp(r->first[f], name, len))
			return (long)f;
	return -1;
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

/* Mark the fields a list names in sel[0..n_fields). */
static int parse_list(const vae_reader *r, const char *list, const char *opt, char *sel,
                      vae_err *e)
{
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ","), lo, hi;
		long f;
		if (parse_range(p, len, r->n_fields, &lo, &hi) == 0) {
			if (lo == 0 || hi < lo)
				return vae_fail(e, VAE_EPARAM, NULL, 0, 0, "%s: bad range \"%.*s\"", opt, (int)len, p);
			if (hi > r->n_fields && lo <= hi)
				return vae_fail(e, VAE_EDATA, r->path, r->first_line, 0,
				                "%s: field %zu does not exist, the input has %zu",
				                opt, hi, r->n_fields);
			for (size_t i = lo; i <= hi; i++)
				sel[i - 1] = 1;
		} else if ((f = find_name(r, p, len)) >= 0) {
			sel[f] = 1;
		} else {
			return vae_fail(e, VAE_EDATA, r->path, r->first_line, 0,
			                r->has_header ? "%s: no column \"%.*s\" in the header"
			                              : "%s: column \"%.*s\" needs a header line",
			                opt, (int)len, p);
		}
		p += len + (p[len] == ',');
	}
	return 0;
}

/* Model columns by name, in the model's order. */
static int select_by_name(vae_reader *r, const char *const *names, size_t n, vae_err *e)
{
	for (size_t j = 0; j < n; j++) {
		long f = find_name(r, names[j], strlen(names[j]));
		if (f < 0)
			return vae_fail(e, VAE_EDATA, r->path, r->first_line, 0,
			                "the model's column \"%s\" is not in the header", names[j]);
		if (r->col_of[f] >= 0)
			return vae_fail(e, VAE_EDATA, r->path, r->first_line, 0,
			                "the model's column \"%s\" appears twice in the model", names[j]);
		r->col_of[f] = (int)j;
		r->col_field[j] = (size_t)f;
	}
	r->n_cols = n;
	return 0;
}

static int select_columns(vae_reader *r, const char *fields, const char *keep,
                          const char *const *names, size_t n, char *fsel, char *ksel,
                          vae_err *e)
{
	int rc;

	if (keep && (rc = parse_list(r, keep, "-k", ksel, e)))
		return rc;
	if (fields && (rc = parse_list(r, fields, "-f", fsel, e)))
		return rc;
	for (size_t f = 0; f < r->n_fields; f++) {
		if (ksel[f]) {
			r->keep_of[f] = (int)r->n_keep;
			r->keep_field[r->n_keep++] = f;
		}
		if (!fields)
			fsel[f] = !ksel[f];
	}
	if (names && r->has_header && !fields)
		return select_by_name(r, names, n, e);
	for (size_t f = 0; f < r->n_fields; f++)
		if (fsel[f]) {
			r->col_of[f] = (int)r->n_cols;
			r->col_field[r->n_cols++] = f;
		}
	if (n > 0 && r->n_cols != n)
		return vae_fail(e, VAE_EDATA, r->path, r->first_line, 0,
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
		rc = vae_fail(e, VAE_ENOMEM, r->path, 0, 0, "cannot allocate the column map");
	} else {
		for (size_t f = 0; f < nf; f++)
			r->col_of[f] = r->keep_of[f] = -1;
		rc = r->n_fields ? select_columns(r, fields, keep, names, n, fsel, ksel, e) : 0;
	}
	free(fsel);
	free(ksel);
	return rc;
}
