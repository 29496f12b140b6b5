/* vae-score: one anomaly score per row. */
#include <stdlib.h>

#include "cli.h"

static const char *const METRICS[] = { "recon", "elbo" };

struct score {
	vae_model *m;
	vae_ctx *ctx;
	float *score;
	int metric;
};

static void help(const struct cli *c)
{
	printf("usage: %s -m MODEL [options] [FILE...]\n"
	       "Score rows for anomalies: one score per row, in nats, higher is odder.\n\n"
	       "Scoring:\n"
	       "      --metric M          recon: -log p(x | z = mu), the reconstruction error;\n"
	       "                          elbo: the negative ELBO, recon plus KL(q(z|x) || p(z)) [%s]\n\n"
	       "Common:\n", c->prog, METRICS[VAE_METRIC_ELBO]);
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
	if ((rc = vae_score(s->ctx, x, s->metric, s->score, e)))
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
		{ 0, 0, 0, 0 }
	};
	struct cli c;
	struct score s = { 0 };
	vae_err e = { 0 };
	int opt;

	s.metric = VAE_METRIC_ELBO;
	cli_init(&c, "vae-score", CLI_FILTER, argv);
	while ((opt = getopt_long(argc, argv, CLI_SHORT, longs, NULL)) != -1)
		if (!cli_option(&c, opt, optarg, help) && opt == 'M' + 256)
			s.metric = cli_choice(&c, "--metric", optarg, METRICS, VAE_N_METRICS);
	cli_finish_options(&c, argc, argv, 1);
	s.m = cli_load_model(&c);
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
