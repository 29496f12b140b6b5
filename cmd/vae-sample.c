/* vae-sample: new rows from the prior through the decoder. */
#include <stdlib.h>

#include "cli.h"

static unsigned long long n_rows = 10;
static int sample_x;

static void help(const struct cli *c)
{
	printf("usage: %s -m MODEL [-n N] [options]\n"
	       "Draw N new rows: z ~ N(0, I) through the decoder, in the units and\n"
	       "column order of the model's training data.\n\n"
	       "Sampling:\n"
	       "  -n, --rows N            how many rows [%llu]\n"
	       "      --sample            draw from p(x|z) instead of its mean\n\n"
	       "Common:\n", c->prog, n_rows);
	cli_help_shared(c);
}

/* Write n_rows rows chunk by chunk; @return 0 or a VAE_E* code. */
static int sample(struct cli *c, vae_model *m, vae_writer *w, vae_err *e)
{
	size_t d = vae_model_arch(m)->n_in;
	vae_ctx *ctx = vae_ctx_new(m, CLI_CHUNK, e);
	vae_mat out = { 0 };
	vae_rng rng;
	int rc = ctx ? vae_mat_alloc(&out, CLI_CHUNK, d, e) : e->code;

	vae_rng_seed(&rng, c->seed);
	for (unsigned long long done = 0; !rc && done < n_rows; done += out.rows) {
		out.rows = n_rows - done < CLI_CHUNK ? (size_t)(n_rows - done) : CLI_CHUNK;
		rc = vae_sample(ctx, &rng, &out, sample_x, e);
		for (size_t i = 0; i < out.rows && !rc; i++)
			rc = cli_write_row(w, NULL, i, out.x + i * d, d, e);
	}
	vae_mat_release(&out);
	vae_ctx_free(ctx);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		CLI_LONG,
		{ "rows", required_argument, 0, 'n' },
		{ "sample", no_argument, 0, 'S' + 256 },
		{ 0, 0, 0, 0 }
	};
	struct cli c;
	vae_err e = { 0 };
	int opt;

	cli_init(&c, "vae-sample", CLI_MODEL | CLI_OUTPUT | CLI_OUT_FORMAT | CLI_COMPRESS | CLI_IMAGE
	         | CLI_HEADER | CLI_NO_HEADER | CLI_PRECISION | CLI_SEED | CLI_THREADS | CLI_UNBUFFERED, argv);
	c.image_of_model = 1;
	c.header_help = "write a header line, x1, x2, ... if the model's columns have no names";
	c.no_header_help = "write no header line [one when the model's columns have names]";
	while ((opt = getopt_long(argc, argv, CLI_SHORT "n:", longs, NULL)) != -1) {
		if (cli_option(&c, opt, optarg, help))
			continue;
		if (opt == 'n')
			n_rows = cli_uint(&c, "-n", optarg, 0, UINT64_MAX);
		else if (opt == 'S' + 256)
			sample_x = 1;
	}
	if (optind < argc)
		cli_usage(&c, "reads no input, got \"%s\"", argv[optind]);
	cli_finish_options(&c, argc, argv, 1);
	vae_model *m = cli_load_model(&c);
	const char **names = cli_model_names(m);
	cli_open_output(&c);
	vae_write_opts o = cli_write_opts(&c, VAE_FMT_CSV, m);
	vae_writer *w = vae_writer_new(c.out, &o, &e);
	if (!w)
		cli_die(&c, &e);
	if (cli_text_format(&o) && ((names && c.header != VAE_HEADER_NO) || c.header == VAE_HEADER_YES)
	    && cli_write_header(w, NULL, names, "x", vae_model_arch(m)->n_in, &e))
		cli_report(&c, &e);
	if (sample(&c, m, w, &e))
		cli_report(&c, &e);
	if (vae_writer_free(w, &e))
		cli_report(&c, &e);
	free(names);
	vae_model_free(m);
	return cli_close_output(&c);
}
