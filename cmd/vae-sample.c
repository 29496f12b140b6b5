/* vae-sample: new rows from the prior through the decoder. */
#include <stdlib.h>

#include "cli.h"

/* This program's long options without a letter. */
enum {
	OPT_SAMPLE = CLI_OPT_FIRST_PRIVATE,
	OPT_LABEL
};

static unsigned long long n_rows = 10;
static int sample_x;
static const char *label;       /* --label VALUE */

static void help(const struct cli *c)
{
	printf("usage: %s -m MODEL [-n N] [options]\n"
	       "Draw N new rows: z ~ N(0, I) through the decoder, in the units and\n"
	       "column order of the model's training data; with two latent levels,\n"
	       "z2 ~ N(0, I), then z1 ~ p(z1|z2), then the decoder.\n\n"
	       "Sampling:\n"
	       "  -n, --rows N            how many rows [%llu]\n"
	       "      --sample            draw from p(x|z) instead of its mean\n"
	       "      --label VALUE       a model with a label: rows of this class [each row's\n"
	       "                          drawn from p(y), uniform]; the class is written\n"
	       "                          after the row\n\n"
	       "Common:\n", c->prog, n_rows);
	cli_help_shared(c);
}

struct sample {
	vae_mat z, out;
	float *y;               /* with a label: each row's class, else NULL */
	int level;              /* the top one, whose codes are drawn from N(0, I) */
	unsigned long long seed;
};

/* Decode rows [r0, r1) of the chunk's codes, in a worker. */
static int decode(void *user, vae_ctx *ctx, size_t r0, size_t r1, vae_err *e)
{
	struct sample *s = user;
	size_t k = s->z.cols, n = s->out.cols;
	vae_mat z = { r1 - r0, k, s->z.x + r0 * k }, out = { 0, n, s->out.x + r0 * n };

	if (s->y)
		return vae_decode_labelled(ctx, &z, s->y + r0, &out, sample_x ? VAE_DRAW_X : 0, s->seed,
		                           e);
	return vae_decode_level(ctx, s->level, &z, &out, VAE_DRAW_Z1 | (sample_x ? VAE_DRAW_X : 0),
	                        s->seed, e);
}

/* Write n_rows rows chunk by chunk: codes of the top level ~ N(0, I)
 * drawn in order from the seed (then with a label each row's class, or
 * --label's), decoded in parallel; @return 0 or a VAE_E* code. */
static int sample(struct cli *c, vae_model *m, vae_writer *w, int format, vae_err *e)
{
	int level = vae_model_latent(m, 2) ? 2 : 1;
	size_t d = vae_model_arch(m)->n_in, k = vae_model_latent(m, level);
	const char *const *texts;
	size_t n_classes = vae_model_classes(m, &texts, NULL);
	vae_column classes = { VAE_KIND_CAT, 0, 0, n_classes, (char **)texts };
	cli_workers *workers = cli_workers_new(c, m);
	struct sample s = { .level = level, .seed = c->seed };
	vae_rng rng;
	int rc = vae_mat_alloc(&s.z, CLI_CHUNK, k, e);

	if (label)
		s.y = cli_class_option(c, m, label, CLI_CHUNK);
	else if (n_classes && !(s.y = malloc(CLI_CHUNK * sizeof *s.y)))
		cli_nomem(c);

	if (!rc)
		rc = vae_mat_alloc(&s.out, CLI_CHUNK, d, e);
	vae_rng_seed(&rng, c->seed);
	for (unsigned long long done = 0; !rc && done < n_rows; done += s.z.rows) {
		s.z.rows = n_rows - done < CLI_CHUNK ? (size_t)(n_rows - done) : CLI_CHUNK;
		for (size_t i = 0; i < s.z.rows; i++) {    /* a row's draws in turn: the first
			                                     * rows of -n N+1 are -n N's */
			for (size_t j = 0; j < k; j++)
				s.z.x[i * k + j] = vae_rng_normal(&rng);
			if (n_classes && !label)
				s.y[i] = (float)(size_t)(vae_rng_uniform(&rng) * (double)n_classes);
		}
		rc = cli_workers_run(workers, s.z.rows, decode, &s, e);
		for (size_t i = 0; i < s.z.rows && !rc; i++) {
			for (size_t j = 0; j < d; j++)
				vae_write_cell(w, vae_model_is_table(m) ? vae_model_column(m, j) : NULL,
				               s.out.x[i * d + j]);
			if (n_classes && format != VAE_FMT_PNG)     /* an image has no room for it */
				vae_write_cell(w, &classes, s.y[i]);
			rc = vae_write_end(w, e);
		}
	}
	free(s.y);
	vae_mat_release(&s.z);
	vae_mat_release(&s.out);
	cli_workers_free(workers);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		CLI_LONG,
		{ .name = "rows", .has_arg = required_argument, .val = 'n' },
		{ .name = "sample", .has_arg = no_argument, .val = OPT_SAMPLE },
		{ .name = "label", .has_arg = required_argument, .val = OPT_LABEL },
		{ 0 }
	};
	struct cli c;
	vae_err e = { 0 };
	int opt;

	cli_init(&c, "vae-sample", CLI_MODEL | CLI_OUTPUT | CLI_OUT_FORMAT | CLI_COMPRESS | CLI_IMAGE
	         | CLI_HEADER | CLI_NO_HEADER | CLI_PRECISION | CLI_SEED | CLI_THREADS | CLI_UNBUFFERED
	         | CLI_QUIET | CLI_PORTABLE | CLI_COMPUTE, argv);
	c.image_of_model = 1;
	c.header_help = "a header line, x1, x2, ... if the model has no names";
	c.no_header_help = "no header line [one if the model has column names]";
	while ((opt = getopt_long(argc, argv, CLI_SHORT "n:", longs, NULL)) != -1) {
		if (cli_option(&c, opt, optarg, help))
			continue;
		if (opt == 'n')
			n_rows = cli_uint(&c, "-n", optarg, 0, UINT64_MAX);
		else if (opt == OPT_SAMPLE)
			sample_x = 1;
		else if (opt == OPT_LABEL)
			label = optarg;
	}
	if (optind < argc)
		cli_usage(&c, "reads no input, got \"%s\"", argv[optind]);
	cli_finish_options(&c, argc, argv, 1);
	vae_model *m = cli_load_model(&c);
	if (label)              /* a class it has, before any output */
		free(cli_class_option(&c, m, label, 1));
	const char **names = cli_header_names(m);
	cli_open_output(&c);
	vae_write_opts o = cli_write_opts(&c, VAE_FMT_CSV, m);
	vae_writer *w = vae_writer_new(c.out, &o, &e);
	if (!w)
		cli_die(&c, &e);
	if (cli_text_format(&o) && ((vae_model_name(m, 0) && c.header != VAE_HEADER_NO)
	                            || c.header == VAE_HEADER_YES)
	    && cli_write_header(w, NULL, names, "x", vae_model_arch(m)->n_in
	                        + (vae_model_classes(m, NULL, NULL) > 0), &e))
		cli_report(&c, &e);
	if (sample(&c, m, w, o.format, &e))
		cli_report(&c, &e);
	if (vae_writer_free(w, &e))
		cli_report(&c, &e);
	free(names);
	vae_model_free(m);
	return cli_close_output(&c);
}
