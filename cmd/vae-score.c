/* vae-score: one anomaly score per row. */
#include <stdlib.h>

#include "cli.h"

static const char *const METRICS[] = { "recon", "elbo", "nll" };
#define NLL_SAMPLES 100         /* default -K for nll */

struct score {
	vae_model *m;
	vae_ctx *ctx;
	float *score;
	int metric;
	unsigned samples;       /* -K; 0: z = mu */
	unsigned long long seed;
};

static void help(const struct cli *c)
{
	printf("usage: %s -m MODEL [options] [FILE...]\n"
	       "Score rows for anomalies: one score per row, in nats, higher is odder.\n\n"
	       "Scoring:\n"
	       "      --metric M          recon: -log p(x | z = mu), the reconstruction error;\n"
	       "                          elbo: the negative ELBO, recon plus KL(q(z|x) || p(z));\n"
	       "                          nll: -log p(x) by importance sampling (IWAE) [%s]\n"
	       "  -K, --samples N         draws of z ~ q(z|x) per row: recon and elbo average\n"
	       "                          over them, nll is the K-sample bound [0; %d for nll]\n\n"
	       "Common:\n", c->prog, METRICS[VAE_METRIC_ELBO], NLL_SAMPLES);
	cli_help_shared(c);
}

static int header(void *user, const vae_reader *r, vae_writer *w, vae_err *e)
{
	struct score *s = user;
	const char *name = METRICS[s->metric];

	return cli_write_header(w, r, &name, "", 1, e);
}

static int chunk(struct cli *c, void *user, const vae_mat *x, const vae_text *keep,
                 vae_writer *w, vae_err *e)
{
	struct score *s = user;
	int rc;

	(void)c;
	if ((rc = vae_score(s->ctx, x, s->metric, s->samples, s->seed, s->score, e)))
		return rc;
	for (size_t i = 0; i < x->rows && !rc; i++)
		rc = cli_write_row(w, keep, i, s->score + i, 1, e);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		CLI_LONG,
		{ "metric", required_argument, 0, 'M' + 256 },
		{ "samples", required_argument, 0, 'K' },
		{ 0, 0, 0, 0 }
	};
	struct cli c;
	struct score s = { 0 };
	vae_err e = { 0 };
	int opt, samples = -1;

	s.metric = VAE_METRIC_ELBO;
	cli_init(&c, "vae-score", CLI_FILTER | CLI_SEED, argv);
	while ((opt = getopt_long(argc, argv, CLI_SHORT "K:", longs, NULL)) != -1) {
		if (cli_option(&c, opt, optarg, help))
			continue;
		if (opt == 'M' + 256)
			s.metric = cli_choice(&c, "--metric", optarg, METRICS, VAE_N_METRICS);
		else if (opt == 'K')
			samples = (int)cli_uint(&c, "-K", optarg, 0, 1000000);
	}
	if (s.metric == VAE_METRIC_NLL && samples == 0)
		cli_usage(&c, "--metric nll needs -K 1 or more");
	s.samples = samples >= 0 ? (unsigned)samples : s.metric == VAE_METRIC_NLL ? NLL_SAMPLES : 0;
	s.seed = c.seed;
	cli_finish_options(&c, argc, argv, 1);
	s.m = cli_load_model(&c);
	if (s.metric == VAE_METRIC_NLL && vae_model_arch(s.m)->autoencoder)
		cli_usage(&c, "--metric nll: %s is an autoencoder, with no likelihood to estimate; "
		          "use --metric recon", c.model);
	if (!(s.ctx = vae_ctx_new(s.m, CLI_CHUNK, &e)))
		cli_die(&c, &e);
	if (!(s.score = malloc(CLI_CHUNK * sizeof *s.score)))
		cli_nomem(&c);
	cli_open_output(&c);
	const char **names = cli_model_names(s.m);
	struct cli_filter f = { vae_model_arch(s.m)->n_in, names, header, chunk, &s, NULL };
	int status = cli_filter_run(&c, &f);
	free(names);
	free(s.score);
	vae_ctx_free(s.ctx);
	vae_model_free(s.m);
	return status;
}
