/* cli_label.c: a label column beside the rows (vae-fit --label, and the
 * filters that read rows of a model with classes): read as a kept field,
 * its texts turned into classes, and taken out of the kept fields unless
 * -k asked for it too. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

char *cli_keep_label(const char *keep, const char *col)
{
	size_t n = (keep ? strlen(keep) + 1 : 0) + strlen(col) + 1;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s%s%s", keep ? keep : "", keep ? "," : "", col);
	return s;
}

/* Is col a field number (digits only)? */
static int is_number_list(const char *col)
{
	return *col && strspn(col, "0123456789") == strlen(col);
}

int cli_label_column(const vae_reader *r, const char *col, vae_err *e)
{
	size_t n = vae_reader_n_fields(r);
	int found = 0;

	if (is_number_list(col))
		found = strtoul(col, NULL, 10) >= 1 && strtoul(col, NULL, 10) <= n;
	for (size_t i = 0; !found && !is_number_list(col) && i < n; i++)
		found = vae_reader_name(r, i) && !strcmp(vae_reader_name(r, i), col);
	if (found || n == 0)
		return 0;
	memset(e, 0, sizeof *e);
	e->code = VAE_EDATA;
	snprintf(e->file, sizeof e->file, "%s", vae_reader_path(r));
	e->line = 1;
	if (is_number_list(col))
		snprintf(e->msg, sizeof e->msg, "--label %s: field %s does not exist, the input has %zu",
		         col, col, n);
	else
		snprintf(e->msg, sizeof e->msg, "--label %.64s: no column \"%.64s\" %s", col, col,
		         vae_reader_name(r, 0) ? "in the header" : "(the input has no header line)");
	return VAE_EDATA;
}

long cli_label_place(const vae_reader *r, const char *col)
{
	for (size_t j = 0; j < vae_reader_n_keep(r); j++) {
		const char *name = vae_reader_keep_name(r, j);
		if (is_number_list(col) ? vae_reader_keep_field(r, j) == strtoul(col, NULL, 10)
		                        : name && !strcmp(name, col))
			return (long)j;
	}
	return -1;
}

void cli_label_remove(vae_text *keep, size_t at)
{
	size_t cols = keep->cols;

	for (size_t r = 0, to = 0; r < keep->rows; r++)   /* to <= from: in place */
		for (size_t k = 0; k < cols; k++)
			if (k != at)
				keep->off[to++] = keep->off[r * cols + k];
	keep->cols--;
}

int cli_label_missing(const char *s, size_t len)
{
	static const char *const words[] = { "NA", "N/A", "NaN", "NULL", "?", "-nan" };

	if (len == 0)
		return 1;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strlen(words[i]) == len && !strncasecmp(s, words[i], len))
			return 1;
	return 0;
}

/* s (len bytes) as a finite number into *v: @return 1, or 0 when it is not one. */
static int number(const char *s, size_t len, double *v)
{
	char buf[64], *end;

	if (len == 0 || len >= sizeof buf)
		return 0;
	memcpy(buf, s, len);
	buf[len] = 0;
	*v = strtod(buf, &end);
	return !*end && *v == *v && *v - *v == 0;
}

long cli_model_class(const vae_model *m, const char *s, size_t len)
{
	const char *const *classes;
	size_t n = vae_model_classes(m, &classes, NULL);
	long k = vae_model_class(m, s, len);
	double v, w;

	if (k >= 0 || !number(s, len, &v))
		return k;
	for (size_t i = 0; classes && i < n; i++)       /* "3.0" is the class "3" */
		if (number(classes[i], strlen(classes[i]), &w) && w == v)
			return (long)i;
	return -1;
}

/* The classes' texts, "a, b, c", or their first few, for a message. */
static void list_classes(const vae_model *m, char *out, size_t cap)
{
	const char *const *classes;
	size_t n = vae_model_classes(m, &classes, NULL), len = 0;

	out[0] = 0;
	for (size_t i = 0; classes && i < n && len + 8 < cap; i++) {
		int w = snprintf(out + len, cap - len, "%s%s", i ? ", " : "", i < 20 ? classes[i] : "...");
		len += w > 0 ? (size_t)w : 0;
		if (i == 20)
			break;
	}
}

int cli_label_class(const vae_model *m, const char *s, size_t len, float *y, vae_err *e)
{
	char list[256];
	long k;

	if (cli_label_missing(s, len)) {
		*y = NAN;
		return 0;
	}
	if ((k = cli_model_class(m, s, len)) >= 0) {
		*y = (float)k;
		return 0;
	}
	list_classes(m, list, sizeof list);
	memset(e, 0, sizeof *e);
	e->code = VAE_EDATA;
	snprintf(e->msg, sizeof e->msg, "label \"%.*s\" is not a class of the model (classes: %s)",
	         len > 64 ? 64 : (int)len, s, list);
	return VAE_EDATA;
}

int cli_label_read(const vae_model *m, vae_text *keep, size_t at, int hide, float *y,
                   const char *path, unsigned long line0, unsigned long field, size_t *good,
                   vae_err *e)
{
	int rc = 0;
	size_t r;

	for (r = 0; r < keep->rows && !rc; r++) {
		size_t len;
		const char *s = vae_text_field(keep, r, at, &len);
		if ((rc = cli_label_class(m, s, len, &y[r], e))) {
			snprintf(e->file, sizeof e->file, "%s", path);
			e->line = line0 + r;
			e->column = field;
		}
	}
	*good = rc ? r - 1 : r;
	if (hide)
		cli_label_remove(keep, at);
	return rc;
}

float *cli_class_option(const struct cli *c, const vae_model *m, const char *value, size_t n)
{
	float *y, k = NAN;
	vae_err e;
	int rc;

	if (!vae_model_classes(m, NULL, NULL))
		cli_usage(c, "--label: %s has no label (vae-fit --label trains one)", c->model);
	if ((rc = cli_label_class(m, value, strlen(value), &k, &e)) || k != k)
		cli_usage(c, "--label: \"%s\" is not a class of %s%s", value, c->model,
		          rc ? strstr(e.msg, " (classes") : "");
	if (!(y = malloc(n * sizeof *y)))       /* after the checks: a usage error leaks none */
		cli_nomem((struct cli *)c);
	for (size_t i = 0; i < n; i++)
		y[i] = k;
	return y;
}

/* ======================================================================
 * Classes learnt from a label column (vae-fit)
 * ==================================================================== */

#define SLOTS 4096              /* open addressing, at most VAE_MAX_LEVELS used */

struct cli_classes {
	char *text[VAE_MAX_LEVELS];
	size_t n;
	uint16_t slot[SLOTS];   /* class + 1, 0: empty */
};

cli_classes *cli_classes_new(void)
{
	return calloc(1, sizeof(cli_classes));
}

void cli_classes_free(cli_classes *c)
{
	for (size_t i = 0; c && i < c->n; i++)
		free(c->text[i]);
	free(c);
}

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
	return h;
}

long cli_classes_add(cli_classes *c, const char *s, size_t len)
{
	size_t i = (size_t)hash(s, len) & (SLOTS - 1);

	for (; c->slot[i]; i = (i + 1) & (SLOTS - 1)) {
		const char *t = c->text[c->slot[i] - 1];
		if (strlen(t) == len && !memcmp(t, s, len))
			return c->slot[i] - 1;
	}
	if (c->n >= VAE_MAX_LEVELS || memchr(s, 0, len))
		return -1;
	if (!(c->text[c->n] = malloc(len + 1)))
		return -2;
	memcpy(c->text[c->n], s, len);
	c->text[c->n][len] = 0;
	c->slot[i] = (uint16_t)++c->n;
	return (long)c->n - 1;
}

size_t cli_classes_count(const cli_classes *c)
{
	return c->n;
}

/* Classes ordered by value when every text is a number, else bytewise. */
static int all_numbers;

static int by_text(const void *a, const void *b)
{
	const char *s = *(char *const *)a, *t = *(char *const *)b;
	double v, w;

	if (all_numbers && number(s, strlen(s), &v) && number(t, strlen(t), &w))
		return (v > w) - (v < w);
	return strcmp(s, t);
}

const char *const *cli_classes_order(cli_classes *c, float *y, size_t rows)
{
	char *before[VAE_MAX_LEVELS];
	size_t to[VAE_MAX_LEVELS];
	double v;

	all_numbers = 1;
	for (size_t i = 0; i < c->n; i++)
		all_numbers &= number(c->text[i], strlen(c->text[i]), &v);
	memcpy(before, c->text, c->n * sizeof *before);
	qsort(c->text, c->n, sizeof *c->text, by_text);
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->n; j++)
			if (before[i] == c->text[j])
				to[i] = j;
	for (size_t r = 0; r < rows; r++)
		if (y[r] == y[r])
			y[r] = (float)to[(size_t)y[r]];
	return (const char *const *)c->text;
}
