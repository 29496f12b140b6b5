/* vae-enc: rows to latent codes, one row each. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* This program's long options without a letter. */
enum {
	OPT_SAMPLE = CLI_OPT_FIRST_PRIVATE,
	OPT_LOGVAR,
	OPT_LEVEL,
	OPT_PREDICT,
	OPT_LABEL
};

struct enc {
	struct cli *c;
	vae_model *m;
	cli_workers *workers;
	const vae_mat *x;       /* the chunk being encoded */
	vae_mat mu, logvar;
	int sample, with_logvar;
	int level;              /* the latent level written: 1 (z1) or 2 (z2) */
	int predict;            /* --predict: each row's likeliest class and its chance */
	float label[CLI_CHUNK], prob[CLI_CHUNK];
	vae_column classes;     /* the model's classes, to print a class as its text */
	unsigned long long seed;
};

static void help(const struct cli *c)
{
	printf("usage: %s -m MODEL [options] [FILE...]\n"
	       "Encode rows (CSV, TSV, NPY or IDX; gzipped or plain) to latent codes: the\n"
	       "mean of q(z|x) by default, one row each, in the order read.\n\n"
	       "Encoding:\n"
	       "      --level L           the latent level of a two-level model: 1, z1 from\n"
	       "                          q(z1|x), or 2, z2 from q(z2|z1) at z1's mean (its\n"
	       "                          draw with --sample) [1]\n"
	       "      --sample            draw z = mu + sigma * eps instead of the mean\n"
	       "      --logvar            append the log-variances of q(z|x)\n\n"
	       "A model with a label (vae-fit --label):\n"
	       "      --predict           append each row's likeliest class under q(y|x) and\n"
	       "                          its probability\n"
	       "      --label COL         the column of the rows' labels, a header name or a\n"
	       "                          field number: a row with a label is encoded under it,\n"
	       "                          one without under its likeliest class [the model's\n"
	       "                          label's name, when the header has it]\n\n"
	       "Common:\n", c->prog);
	cli_help_shared(c);
}

static int header(void *user, const vae_reader *r, vae_writer *w, vae_err *e)
{
	struct enc *s = user;
	size_t k = vae_model_latent(s->m, s->level), n = 0;
	char **names = malloc((2 * k + 2) * sizeof *names);
	const char *label = NULL;
	int rc;

	if (!names) {
		snprintf(e->msg, sizeof e->msg, "out of memory");
		return e->code = VAE_ENOMEM;
	}
	vae_model_classes(s->m, NULL, &label);
	for (size_t j = 0; j < k; j++)
		if ((names[n++] = malloc(32)))
			snprintf(names[n - 1], 32, "z%zu", j + 1);
	for (size_t j = 0; s->with_logvar && j < k; j++)
		if ((names[n++] = malloc(32)))
			snprintf(names[n - 1], 32, "logvar%zu", j + 1);
	if (s->predict) {               /* the class and its chance after the codes */
		names[n++] = strdup(label ? label : "label");
		names[n++] = strdup("p");
	}
	rc = cli_write_header(w, r, (const char *const *)names, "z", n, e);
	for (size_t j = 0; j < n; j++)
		free(names[j]);
	free(names);
	return rc;
}

/* Rows [r0, r1) of the chunk, in a worker. */
static int encode(void *user, vae_ctx *ctx, size_t r0, size_t r1, vae_err *e)
{
	struct enc *s = user;
	size_t k = s->mu.cols, d = s->x->cols;
	vae_mat x = { r1 - r0, d, s->x->x + r0 * d };
	vae_mat mu = { 0, k, s->mu.x + r0 * k }, lv = { 0, k, s->logvar.x + r0 * k };
	const float *y = s->c->labels ? s->c->labels + r0 : NULL;
	int rc = y ? vae_encode_labelled(ctx, &x, y, &mu, &lv, s->sample, s->seed, e)
	           : vae_encode_level(ctx, s->level, &x, &mu, &lv, s->sample, s->seed, e);

	if (!rc && s->predict)
		rc = vae_predict(ctx, &x, s->label + r0, s->prob + r0, e);
	return rc;
}

static int chunk(void *user, const vae_reader *r, const vae_mat *x, const vae_text *keep,
                 vae_writer *w, vae_err *e)
{
	struct enc *s = user;
	size_t k = s->mu.cols;
	int rc;

	(void)r;
	s->x = x;
	if ((rc = cli_workers_run(s->workers, x->rows, encode, s, e)))
		return rc;
	for (size_t i = 0; i < x->rows && !rc; i++) {
		cli_write_fields(w, keep, i, 0, keep ? keep->cols : 0);
		for (size_t j = 0; j < k; j++)
			vae_write_float(w, s->mu.x[i * k + j]);
		for (size_t j = 0; s->with_logvar && j < k; j++)
			vae_write_float(w, s->logvar.x[i * k + j]);
		if (s->predict) {
			vae_write_cell(w, &s->classes, s->label[i]);
			vae_write_float(w, s->prob[i]);
		}
		rc = vae_write_end(w, e);
	}
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		CLI_LONG,
		{ .name = "sample", .has_arg = no_argument, .val = OPT_SAMPLE },
		{ .name = "logvar", .has_arg = no_argument, .val = OPT_LOGVAR },
		{ .name = "level", .has_arg = required_argument, .val = OPT_LEVEL },
		{ .name = "predict", .has_arg = no_argument, .val = OPT_PREDICT },
		{ .name = "label", .has_arg = required_argument, .val = OPT_LABEL },
		{ 0 }
	};
	struct cli c;
	struct enc s = { .c = &c, .level = 1 };
	vae_err e = { 0 };
	const char *label = NULL;
	int opt;

	cli_init(&c, "vae-enc", CLI_FILTER | CLI_SEED, argv);
	while ((opt = getopt_long(argc, argv, CLI_SHORT, longs, NULL)) != -1) {
		if (cli_option(&c, opt, optarg, help))
			continue;
		if (opt == OPT_SAMPLE)
			s.sample = 1;
		else if (opt == OPT_LOGVAR)
			s.with_logvar = 1;
		else if (opt == OPT_LEVEL)
			s.level = (int)cli_uint(&c, "--level", optarg, 1, 2);
		else if (opt == OPT_PREDICT)
			s.predict = 1;
		else if (opt == OPT_LABEL)
			label = optarg;
	}
	cli_finish_options(&c, argc, argv, 1);
	s.m = cli_load_model(&c);
	s.seed = c.seed;
	size_t k = cli_latent(&c, s.m, s.level);
	const char *const *classes;
	s.classes = (vae_column){ VAE_KIND_CAT, 0, 0, vae_model_classes(s.m, &classes, NULL),
	                          (char **)classes };
	if ((s.predict || label) && !s.classes.n_levels)
		cli_usage(&c, "%s: %s has no label (vae-fit --label trains one)",
		          s.predict ? "--predict" : "--label", c.model);
	if (s.predict && c.out_format == VAE_FMT_PNG)
		cli_usage(&c, "--predict: a class and its chance are no pixels: -O png takes the "
		          "codes alone");
	s.workers = cli_workers_new(&c, s.m);
	if (vae_mat_alloc(&s.mu, CLI_CHUNK, k, &e) || vae_mat_alloc(&s.logvar, CLI_CHUNK, k, &e))
		cli_die(&c, &e);
	cli_open_output(&c);
	const char **names = cli_model_names(s.m);
	struct cli_filter f = {
		.n_in = vae_model_arch(s.m)->n_in, .names = names, .model = s.m, .header = header,
		.chunk = chunk, .user = &s,
		.out_width = (s.with_logvar ? 2 * k : k) + (s.predict ? 2 : 0),
		.labelled = s.classes.n_levels ? s.m : NULL, .label = label
	};
	int status = cli_filter_run(&c, &f);
	free(names);
	vae_mat_release(&s.mu);
	vae_mat_release(&s.logvar);
	cli_workers_free(s.workers);
	vae_model_free(s.m);
	return status;
}
