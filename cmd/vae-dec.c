/* vae-dec: latent codes to reconstructions in the original units. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* This program's long options without a letter. */
enum {
	OPT_SAMPLE = CLI_OPT_FIRST_PRIVATE,
	OPT_LEVEL,
	OPT_LABEL
};

struct dec {
	struct cli *c;
	vae_model *m;
	cli_workers *workers;
	const vae_mat *z;       /* the chunk being decoded */
	vae_mat out;
	const char **names;
	char (*latent)[32];     /* z1..zK, logvar1..logvarK: vae-enc's header names */
	const char **z_names;   /* z1..zK, pointing into latent */
	int sample;
	int level;              /* the latent level read: 1 (z1) or 2 (z2) */
	float *label;           /* --label: CLI_CHUNK times its class, or NULL */
	unsigned long long seed;
};

static void help(const struct cli *c)
{
	printf("usage: %s -m MODEL [options] [FILE...]\n"
	       "Decode latent codes (one row each, as vae-enc writes them; CSV, TSV, NPY\n"
	       "or IDX) to rows in the units and column order of the model's training data.\n"
	       "With a header line z1..zK, other fields are kept in front as by -k\n"
	       "(but vae-enc's logvar1..logvarK), unless -f or -k is given.\n\n"
	       "Decoding:\n"
	       "      --level L           the codes' latent level in a two-level model: 1, z1;\n"
	       "                          or 2, z2, taken to z1 by the mean of p(z1|z2) [1]\n"
	       "      --sample            draw from p(x|z) instead of its mean (level 2: z1\n"
	       "                          from p(z1|z2) too)\n"
	       "      --label VALUE       a model with a label: decode under this class [each\n"
	       "                          row's, in a column of the label's name (vae-enc\n"
	       "                          --predict writes one); else drawn from p(y)]\n\n"
	       "Common:\n", c->prog);
	cli_help_shared(c);
}

static int header(void *user, const vae_reader *r, vae_writer *w, vae_err *e)
{
	struct dec *s = user;

	return cli_write_header(w, r, s->names, "x", s->out.cols, e);
}

/* The first field named name, or -1. */
static long field_named(const vae_reader *r, const char *name)
{
	for (size_t f = 0; f < vae_reader_n_fields(r); f++)
		if (!strcmp(vae_reader_name(r, f), name))
			return (long)f;
	return -1;
}

/* The latent columns of vae-enc's output, z1..zK, are taken by name when
 * the input has a header that holds them all, and every other field but
 * vae-enc's logvar1..logvarK is kept in front, as if -k named it: so
 * vae-enc -k id | vae-dec needs no -k again.  -f or -k, no header, or
 * other names: the columns as vae_reader_select takes them. */
static int select_latent(void *user, const struct cli *c, vae_reader *r, vae_err *e)
{
	struct dec *s = user;
	size_t k = vae_model_latent(s->m, s->level), nf = vae_reader_n_fields(r), len = 0;
	int by_name = !c->fields && !c->keep && vae_reader_name(r, 0), rc;
	char *keep;

	for (size_t j = 0; by_name && j < k; j++)
		by_name = field_named(r, s->z_names[j]) >= 0;
	if (!by_name)
		return vae_reader_select(r, c->fields, c->keep, NULL, k, e);
	if (!(keep = malloc(nf * 21 + 1))) {
		memset(e, 0, sizeof *e);
		snprintf(e->msg, sizeof e->msg, "out of memory");
		return e->code = VAE_ENOMEM;
	}
	keep[0] = 0;
	for (size_t f = 0; f < nf; f++) {
		size_t j = 0;
		while (j < 2 * k && strcmp(vae_reader_name(r, f), s->latent[j]))
			j++;
		if (j == 2 * k)         /* neither z nor logvar: kept */
			len += (size_t)sprintf(keep + len, "%s%zu", len ? "," : "", f + 1);
	}
	/* binary output has no room for text fields: the codes only */
	rc = vae_reader_select(r, NULL, len && c->out_format < VAE_FMT_NPY ? keep : NULL,
	                       s->z_names, k, e);
	free(keep);
	return rc;
}

/* Rows [r0, r1) of the chunk, in a worker. */
static int decode(void *user, vae_ctx *ctx, size_t r0, size_t r1, vae_err *e)
{
	struct dec *s = user;
	size_t k = s->z->cols, n = s->out.cols;
	vae_mat z = { r1 - r0, k, s->z->x + r0 * k }, out = { 0, n, s->out.x + r0 * n };
	const float *y = s->label ? s->label : s->c->labels;

	if (y)
		return vae_decode_labelled(ctx, &z, y + r0, &out, s->sample ? VAE_DRAW_X : 0, s->seed,
		                           e);
	return vae_decode_level(ctx, s->level, &z, &out, s->sample ? VAE_DRAW_X | VAE_DRAW_Z1 : 0,
	                        s->seed, e);
}

static int chunk(void *user, const vae_reader *r, const vae_mat *z, const vae_text *keep,
                 vae_writer *w, vae_err *e)
{
	struct dec *s = user;
	size_t n = s->out.cols;
	int rc;

	(void)r;
	s->z = z;
	if ((rc = cli_workers_run(s->workers, z->rows, decode, s, e)))
		return rc;
	for (size_t i = 0; i < z->rows && !rc; i++)
		rc = cli_write_cells(w, s->m, keep, i, s->out.x + i * n, e);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		CLI_LONG,
		{ .name = "sample", .has_arg = no_argument, .val = OPT_SAMPLE },
		{ .name = "level", .has_arg = required_argument, .val = OPT_LEVEL },
		{ .name = "label", .has_arg = required_argument, .val = OPT_LABEL },
		{ 0 }
	};
	struct cli c;
	struct dec s = { .c = &c, .level = 1 };
	vae_err e = { 0 };
	const char *label = NULL;
	int opt;

	cli_init(&c, "vae-dec", CLI_FILTER | CLI_SEED, argv);
	c.image_of_model = 1;
	while ((opt = getopt_long(argc, argv, CLI_SHORT, longs, NULL)) != -1) {
		if (cli_option(&c, opt, optarg, help))
			continue;
		if (opt == OPT_SAMPLE)
			s.sample = 1;
		else if (opt == OPT_LEVEL)
			s.level = (int)cli_uint(&c, "--level", optarg, 1, 2);
		else if (opt == OPT_LABEL)
			label = optarg;
	}
	cli_finish_options(&c, argc, argv, 1);
	s.m = cli_load_model(&c);
	if (label)
		s.label = cli_class_option(&c, s.m, label, CLI_CHUNK);
	s.seed = c.seed;
	s.workers = cli_workers_new(&c, s.m);
	if (vae_mat_alloc(&s.out, CLI_CHUNK, vae_model_arch(s.m)->n_in, &e))
		cli_die(&c, &e);
	s.names = cli_model_names(s.m);
	size_t k = cli_latent(&c, s.m, s.level);
	if (!(s.latent = malloc(2 * k * sizeof *s.latent)) || !(s.z_names = malloc(k * sizeof *s.z_names)))
		cli_nomem(&c);
	for (size_t j = 0; j < 2 * k; j++)
		snprintf(s.latent[j], sizeof s.latent[j], j < k ? "z%zu" : "logvar%zu", j % k + 1);
	for (size_t j = 0; j < k; j++)
		s.z_names[j] = s.latent[j];
	cli_open_output(&c);
	struct cli_filter f = {
		.n_in = k, .header = header, .chunk = chunk, .user = &s, .select = select_latent,
		.out_model = s.m, .out_width = vae_model_arch(s.m)->n_in,
		.labelled = vae_model_classes(s.m, NULL, NULL) && !label ? s.m : NULL
	};
	int status = cli_filter_run(&c, &f);
	free(s.latent);
	free(s.z_names);
	free(s.label);
	free(s.names);
	vae_mat_release(&s.out);
	cli_workers_free(s.workers);
	vae_model_free(s.m);
	return status;
}
