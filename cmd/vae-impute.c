/* vae-impute: rows as read, their missing model cells filled by the model. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* This program's long options without a letter. */
enum {
	OPT_DRAWS = CLI_OPT_FIRST_PRIVATE,
	OPT_SAMPLE
};

/* Codes averaged for a cell's most likely value: the mean of 10 decoder
 * outputs strays from their expectation by a third of one output's spread
 * (1 / sqrt(10)), for 10 decodes of each row. */
#define DRAWS 10

struct impute {
	vae_model *m;
	cli_workers *workers;
	const char **names;     /* the model's column names, or NULL */
	vae_mat y;              /* the chunk's model cells, filled in place */
	int *col_of;            /* [n_fields]: input field -> model column, or -1 */
	size_t n_fields;
	unsigned draws;
	int sample, text;       /* text: csv or tsv output, every field written */
	int tensor;             /* the input is NPY or IDX: levels come as indices */
	unsigned long long seed;
};

static void help(const struct cli *c)
{
	printf("usage: %s -m MODEL [options] [FILE...]\n"
	       "Fill the missing cells of rows (empty, NA, N/A, NaN, NULL, ?) with the\n"
	       "model's most likely values given the cells observed; every other field is\n"
	       "written as read, in the order read.\n\n"
	       "Imputing:\n"
	       "      --draws N           codes z ~ q(z|x) whose decoder outputs are averaged\n"
	       "                          for each cell, 0 for z = mu alone [%d]\n"
	       "      --sample            draw each cell from the model instead, for\n"
	       "                          multiple imputation: one run per seed (-s)\n\n"
	       "Common:\n", c->prog, DRAWS);
	cli_help_shared(c);
}

/* ======================================================================
 * Columns
 * ==================================================================== */

static int no_memory(vae_err *e)
{
	memset(e, 0, sizeof *e);
	snprintf(e->msg, sizeof e->msg, "out of memory");
	return e->code = VAE_ENOMEM;
}

/* The model columns as vae_reader_select finds them, and which field of
 * the input each one is, so a row is written back field by field. */
static int select_cols(void *user, const struct cli *c, vae_reader *r, vae_err *e)
{
	struct impute *s = user;
	size_t n_in = vae_model_arch(s->m)->n_in, nf = vae_reader_n_fields(r);
	int rc = vae_reader_select(r, c->fields, c->keep, s->names, n_in, e);

	if (rc)
		return rc;
	free(s->col_of);
	if (!(s->col_of = malloc((nf ? nf : 1) * sizeof *s->col_of)))
		return no_memory(e);
	for (size_t f = 0; f < nf; f++)
		s->col_of[f] = -1;
	for (size_t j = 0; j < n_in; j++) {
		size_t f = vae_reader_col_field(r, j);
		if (f >= 1 && f <= nf)
			s->col_of[f - 1] = (int)j;
	}
	s->n_fields = nf;
	s->tensor = vae_reader_format(r) == VAE_FMT_NPY || vae_reader_format(r) == VAE_FMT_IDX;
	return 0;
}

/* Text output writes each row as read: every field's text, after the kept
 * ones in the chunk's vae_text. */
static void prepare(void *user, vae_reader *r)
{
	vae_reader_keep_all(r, ((struct impute *)user)->text);
}

/* ======================================================================
 * Rows
 * ==================================================================== */

static int header(void *user, const vae_reader *r, vae_writer *w, vae_err *e)
{
	(void)user;
	for (size_t f = 0; f < vae_reader_n_fields(r); f++) {
		const char *name = vae_reader_name(r, f);
		vae_write_text(w, name ? name : "", name ? strlen(name) : 0);
	}
	return vae_write_end(w, e);
}

/* Rows [r0, r1) of the chunk, in a worker. */
static int fill(void *user, vae_ctx *ctx, size_t r0, size_t r1, vae_err *e)
{
	struct impute *s = user;
	size_t d = s->y.cols;
	vae_mat y = { r1 - r0, d, s->y.x + r0 * d };

	return vae_impute(ctx, &y, s->draws, s->sample, s->seed, e);
}

/* @return the number of missing cells of x. */
static size_t holes(const vae_mat *x)
{
	size_t n = 0;

	for (size_t i = 0; i < x->rows * x->cols; i++)
		n += isnan(x->x[i]) != 0;
	return n;
}

/* Is a model cell printed in its column's form rather than as read: when
 * filled, and when it is a level of NPY or IDX input, read as its index,
 * which would print as a number beside the filled levels' text? */
static int as_cell(const struct impute *s, const vae_column *col, float in)
{
	return isnan(in) || (s->tensor && (col->kind == VAE_KIND_BINARY || col->kind == VAE_KIND_CAT));
}

/* Row i: its fields as read but its missing model cells, which are
 * filled; binary output holds the model columns alone, as numbers. */
static int write_row(const struct impute *s, const vae_mat *x, const vae_text *keep, size_t i,
                     vae_writer *w, vae_err *e)
{
	size_t d = x->cols, base = s->text ? keep->cols - s->n_fields : 0;
	const float *in = x->x + i * d, *out = s->y.x + i * d;

	for (size_t j = 0; !s->text && j < d; j++)
		vae_write_cell(w, vae_model_column(s->m, j), out[j]);
	for (size_t f = 0; s->text && f < s->n_fields; f++) {
		int j = s->col_of[f];
		const vae_column *col = j >= 0 ? vae_model_column(s->m, (size_t)j) : NULL;
		if (col && as_cell(s, col, in[j])) {
			vae_write_cell(w, col, out[j]);
		} else {
			size_t len;
			const char *t = vae_text_field(keep, i, base + f, &len);
			vae_write_text(w, t, len);
		}
	}
	return vae_write_end(w, e);
}

/* Rows without holes skip the network: --missing skip and error never
 * give it any, and a model that cannot fill (real columns only, no masks)
 * still passes such rows through.  A row with no cell observed, which
 * nothing could fill, the reader has refused with its line. */
static int chunk(void *user, const vae_reader *r, const vae_mat *x, const vae_text *keep,
                 vae_writer *w, vae_err *e)
{
	struct impute *s = user;
	int rc = 0;

	memcpy(s->y.x, x->x, x->rows * x->cols * sizeof *x->x);
	s->y.rows = x->rows;
	if (holes(x) && (rc = cli_workers_run(s->workers, x->rows, fill, s, e))) {
		if (!e->file[0])
			snprintf(e->file, sizeof e->file, "%s", vae_reader_path(r));
		return rc;
	}
	for (size_t i = 0; i < x->rows && !rc; i++)
		rc = write_row(s, x, keep, i, w, e);
	return rc;
}

/* ======================================================================
 * Options
 * ==================================================================== */

/* --missing's default here is mask (main gives its --help lines). */
static void options(struct cli *c, struct impute *s, int argc, char **argv)
{
	static const struct option longs[] = {
		CLI_LONG,
		{ .name = "draws", .has_arg = required_argument, .val = OPT_DRAWS },
		{ .name = "sample", .has_arg = no_argument, .val = OPT_SAMPLE },
		{ 0 }
	};
	int opt, draws = -1;

	while ((opt = getopt_long(argc, argv, CLI_SHORT, longs, NULL)) != -1) {
		if (cli_option(c, opt, optarg, help))
			continue;
		else if (opt == OPT_DRAWS)
			draws = (int)cli_uint(c, "--draws", optarg, 0, 100000);
		else if (opt == OPT_SAMPLE)
			s->sample = 1;
	}
	if (s->sample && draws >= 0)
		cli_usage(c, "--draws and --sample exclude each other");
	s->draws = draws >= 0 ? (unsigned)draws : DRAWS;
	if (c->missing < 0)
		c->missing = VAE_MISSING_MASK;
	cli_finish_options(c, argc, argv, 1);
	s->text = c->out_format < VAE_FMT_NPY;
	s->seed = c->seed;
}

int main(int argc, char **argv)
{
	struct cli c;
	struct impute s = { 0 };
	vae_err e = { 0 };

	cli_init(&c, "vae-impute", CLI_FILTER | CLI_SEED, argv);
	c.missing_help = "      --missing M         mask: fill missing cells; skip: leave out their\n"
	                 "                          rows; error: refuse them [mask]\n";
	c.keep_help = "fields that are not model columns; all are written";
	c.image_of_model = 1;
	options(&c, &s, argc, argv);
	s.m = cli_load_model(&c);
	size_t n_in = vae_model_arch(s.m)->n_in;
	s.workers = cli_workers_new(&c, s.m);
	if (vae_mat_alloc(&s.y, CLI_CHUNK, n_in, &e))
		cli_die(&c, &e);
	s.names = cli_model_names(s.m);
	cli_open_output(&c);
	struct cli_filter f = {
		.n_in = n_in, .names = s.names, .header = header, .chunk = chunk, .user = &s,
		.model = s.m, .out_model = s.m, .prepare = prepare, .select = select_cols,
		.out_width = n_in
	};
	int status = cli_filter_run(&c, &f);
	free(s.names);
	free(s.col_of);
	vae_mat_release(&s.y);
	cli_workers_free(s.workers);
	vae_model_free(s.m);
	return status;
}
