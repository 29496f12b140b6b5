/* vae-dec: latent codes to reconstructions in the original units. */
#include <stdlib.h>

#include "cli.h"

/* This program's long options without a letter. */
enum {
	OPT_SAMPLE = CLI_OPT_FIRST_PRIVATE
};

struct dec {
	vae_model *m;
	cli_workers *workers;
	const vae_mat *z;       /* the chunk being decoded */
	vae_mat out;
	const char **names;
	int sample;
	unsigned long long seed;
};

static void help(const struct cli *c)
{
	printf("usage: %s -m MODEL [options] [FILE...]\n"
	       "Decode latent codes (one row each, as vae-enc writes them; CSV, TSV, NPY\n"
	       "or IDX) to rows in the units and column order of the model's training data.\n\n"
	       "Decoding:\n"
	       "      --sample            draw from p(x|z) instead of its mean\n\n"
	       "Common:\n", c->prog);
	cli_help_shared(c);
}

static int header(void *user, const vae_reader *r, vae_writer *w, vae_err *e)
{
	struct dec *s = user;

	return cli_write_header(w, r, s->names, "x", s->out.cols, e);
}

/* Rows [r0, r1) of the chunk, in a worker. */
static int decode(void *user, vae_ctx *ctx, size_t r0, size_t r1, vae_err *e)
{
	struct dec *s = user;
	size_t k = s->z->cols, n = s->out.cols;
	vae_mat z = { r1 - r0, k, s->z->x + r0 * k }, out = { 0, n, s->out.x + r0 * n };

	return vae_decode(ctx, &z, &out, s->sample, s->seed, e);
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
		rc = cli_write_row(w, keep, i, s->out.x + i * n, n, e);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		CLI_LONG,
		{ .name = "sample", .has_arg = no_argument, .val = OPT_SAMPLE },
		{ 0 }
	};
	struct cli c;
	struct dec s = { 0 };
	vae_err e = { 0 };
	int opt;

	cli_init(&c, "vae-dec", CLI_FILTER | CLI_SEED, argv);
	c.image_of_model = 1;
	while ((opt = getopt_long(argc, argv, CLI_SHORT, longs, NULL)) != -1)
		if (!cli_option(&c, opt, optarg, help) && opt == OPT_SAMPLE)
			s.sample = 1;
	cli_finish_options(&c, argc, argv, 1);
	s.m = cli_load_model(&c);
	s.seed = c.seed;
	s.workers = cli_workers_new(&c, s.m);
	if (vae_mat_alloc(&s.out, CLI_CHUNK, vae_model_arch(s.m)->n_in, &e))
		cli_die(&c, &e);
	s.names = cli_model_names(s.m);
	cli_open_output(&c);
	struct cli_filter f = {
		.n_in = vae_model_arch(s.m)->n_latent, .header = header, .chunk = chunk, .user = &s,
		.out_model = s.m, .out_width = vae_model_arch(s.m)->n_in
	};
	int status = cli_filter_run(&c, &f);
	free(s.names);
	vae_mat_release(&s.out);
	cli_workers_free(s.workers);
	vae_model_free(s.m);
	return status;
}
