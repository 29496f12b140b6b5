/* vae-score: one anomaly score per row; with a threshold, the rows over it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* This program's long options without a letter. */
enum {
	OPT_METRIC = CLI_OPT_FIRST_PRIVATE,
	OPT_ALL,
	OPT_PVALUE,
	OPT_EXPLAIN,
	OPT_LABEL
};

#define NLL_SAMPLES 100         /* default -K for nll */

struct score {
	struct cli *c;
	vae_model *m;
	cli_workers *workers;
	const vae_mat *x;       /* the chunk being scored */
	const char **names;     /* the model's column names, or NULL */
	float *score, *share;   /* CLI_CHUNK; CLI_CHUNK x n_in */
	int metric, pvalue, all, count_only, has_threshold;
	unsigned samples, explain;
	unsigned long long seed, over;
	float threshold;
};

static void help(const struct cli *c)
{
	printf("usage: %s -m MODEL [options] [FILE...]\n"
	       "Score rows for anomalies: one score per row, in nats, higher is odder.\n"
	       "With a threshold, print only the rows over it, like grep: exit 0 when\n"
	       "some row was over it, 1 when none.\n\n"
	       "Scoring:\n"
	       "      --metric M          recon: the reconstruction error at z = mu, -log p(x|z)\n"
	       "                          above a perfect reconstruction's;\n"
	       "                          elbo: the negative ELBO, recon + KL(q(z|x) || p(z));\n"
	       "                          nll: -log p(x) by importance sampling (IWAE)\n"
	       "                          [elbo; recon for an autoencoder or bernoulli model]\n"
	       "  -K, --samples N         draws of z ~ q(z|x) per row: recon and elbo average\n"
	       "                          over them, nll is the K-sample bound [0; %d for nll]\n"
	       "  -t, --threshold T       a score, or pQ: the Q-th percentile of the training\n"
	       "                          rows' scores (p99.9); print the rows over it, each\n"
	       "                          as kept columns, score, and its fields as given\n"
	       "      --all               with -t: print every row, with a 0/1 column \"over\"\n"
	       "  -c, --count             with -t: print only the number of rows over it\n"
	       "      --pvalue            add the empirical p-value of each score against the\n"
	       "                          training rows' scores\n"
	       "      --explain N         add the N columns that contribute most to the row's\n"
	       "                          reconstruction term, as name:share\n"
	       "      --label COL         a model with a label: the column of the rows' labels,\n"
	       "                          a header name or a field number; a row with a label\n"
	       "                          is scored under it, one without over every class\n"
	       "                          [the model's label's name, when the header has it]\n\n"
	       "Common:\n", c->prog, NLL_SAMPLES);
	cli_help_shared(c);
}

/* ======================================================================
 * Output
 * ==================================================================== */

static int header(void *user, const vae_reader *r, vae_writer *w, vae_err *e)
{
	struct score *s = user;
	char name[32];

	if (s->count_only)
		return 0;
	for (size_t j = 0; j < vae_reader_n_keep(r); j++) {
		const char *k = vae_reader_keep_name(r, j);
		if ((long)j != cli_hidden_kept())
			vae_write_text(w, k ? k : "", k ? strlen(k) : 0);
	}
	const char *metric = cli_name(VAE_NAMES_METRIC, s->metric);
	vae_write_text(w, metric, strlen(metric));
	if (s->all)
		vae_write_text(w, "over", 4);
	if (s->pvalue)
		vae_write_text(w, "pvalue", 6);
	for (unsigned i = 0; i < s->explain; i++) {
		int n = snprintf(name, sizeof name, "explain%u", i + 1);
		vae_write_text(w, name, (size_t)n);
	}
	for (size_t f = 0; s->has_threshold && f < vae_reader_n_fields(r); f++)
		vae_write_text(w, vae_reader_name(r, f), strlen(vae_reader_name(r, f)));
	return vae_write_end(w, e);
}

/* Column a ranks before column b: a larger share, or the same and first. */
static int before(const float *share, size_t a, size_t b)
{
	return share[a] > share[b] || (share[a] == share[b] && a < b);
}

/* The explain columns of a row x: its top columns by share, "name:share",
 * or for a binary or cat column "name=level:share", the level the row has
 * and the decoder found unlikely. */
static void write_explain(const struct score *s, vae_writer *w, const float *share,
                          const float *x)
{
	size_t n = vae_model_arch(s->m)->n_in, prev = n;
	char text[256];

	for (unsigned i = 0; i < s->explain; i++) {
		size_t best = n;        /* the first column after prev in rank order */
		for (size_t j = 0; j < n; j++)
			if ((prev == n || before(share, prev, j)) && (best == n || before(share, j, best)))
				best = j;
		if (best == n) {
			vae_write_text(w, "", 0);   /* fewer columns than --explain asks */
			continue;
		}
		const vae_column *col = vae_model_column(s->m, best);
		char name[200];
		if (s->names)
			snprintf(name, sizeof name, "%s", s->names[best]);
		else
			snprintf(name, sizeof name, "x%zu", best + 1);
		int level = col->n_levels && share[best] != INFINITY && x[best] >= 0 && (size_t)x[best] < col->n_levels;
		int len = level ? snprintf(text, sizeof text, "%s=%s:%.3g", name,
		                           col->levels[(size_t)x[best]], (double)share[best])
		                : snprintf(text, sizeof text, "%s:%.3g", name, (double)share[best]);
		vae_write_text(w, text, (size_t)(len < (int)sizeof text ? len : (int)sizeof text - 1));
		prev = best;
	}
}

static int write_row(const struct score *s, const vae_reader *r, const vae_text *keep, size_t i,
                     int over, vae_writer *w, vae_err *e)
{
	size_t n_keep = vae_reader_n_keep(r) - (cli_hidden_kept() >= 0);

	cli_write_fields(w, keep, i, 0, n_keep);
	vae_write_float(w, s->score[i]);
	if (s->all)
		vae_write_float(w, (float)over);
	if (s->pvalue)
		vae_write_float(w, (float)vae_model_pvalue(s->m, s->metric, s->score[i]));
	if (s->explain)
		write_explain(s, w, s->share + i * vae_model_arch(s->m)->n_in,
		              s->x->x + i * vae_model_arch(s->m)->n_in);
	if (s->has_threshold)
		cli_write_fields(w, keep, i, n_keep, keep->cols);
	return vae_write_end(w, e);
}

/* Scores (and shares) of rows [r0, r1) of the chunk, in a worker. */
static int score(void *user, vae_ctx *ctx, size_t r0, size_t r1, vae_err *e)
{
	struct score *s = user;
	size_t d = s->x->cols;
	vae_mat x = { r1 - r0, d, s->x->x + r0 * d };
	const float *y = s->c->labels ? s->c->labels + r0 : NULL;
	int rc = vae_score_labelled(ctx, &x, y, s->metric, s->samples, s->seed, s->score + r0, e);

	if (!rc && s->explain)
		rc = vae_explain_labelled(ctx, &x, y, s->share + r0 * d, e);
	return rc;
}

static int chunk(void *user, const vae_reader *r, const vae_mat *x, const vae_text *keep,
                 vae_writer *w, vae_err *e)
{
	struct score *s = user;
	int rc;

	s->x = x;
	if ((rc = cli_workers_run(s->workers, x->rows, score, s, e)))
		return rc;
	for (size_t i = 0; i < x->rows && !rc; i++) {
		int over = s->has_threshold && s->score[i] > s->threshold;
		s->over += over;
		if (s->count_only || (s->has_threshold && !s->all && !over))
			continue;
		rc = write_row(s, r, keep, i, over, w, e);
	}
	return rc;
}

static void prepare(void *user, vae_reader *r)
{
	vae_reader_keep_all(r, ((struct score *)user)->has_threshold);
	vae_reader_impossible(r, 1);    /* a value of probability 0 scores inf */
}

static int finish(void *user, vae_writer *w, vae_err *e)
{
	struct score *s = user;

	char text[32];
	int n;

	if (!s->count_only)
		return 0;
	n = snprintf(text, sizeof text, "%llu", s->over);
	vae_write_text(w, text, (size_t)n);
	return vae_write_end(w, e);
}

/* ======================================================================
 * Options
 * ==================================================================== */

/* -t T or -t pQ, the latter read off the model's calibration. */
static void set_threshold(struct cli *c, struct score *s, const char *arg)
{
	const char *metric = cli_name(VAE_NAMES_METRIC, s->metric);
	uint64_t rows;
	unsigned samples;

	s->has_threshold = 1;
	if (arg[0] != 'p') {
		s->threshold = (float)cli_real(c, "-t", arg, -1e30, 1e30);
		return;
	}
	double q = cli_real(c, "-t", arg + 1, 0, 100);
	if (!vae_model_calibration(s->m, s->metric, &rows, &samples))
		cli_usage(c, "-t %s: %s holds no training scores for %s", arg, c->model, metric);
	if (samples != s->samples)
		cli_usage(c, "-t %s: the model's %s percentiles were measured with -K %u, not %u",
		          arg, metric, samples, s->samples);
	(void)rows;
	s->threshold = vae_model_quantile(s->m, s->metric, q / 100);
}

static void check_options(struct cli *c, struct score *s, int samples, const char *threshold)
{
	if (s->metric == VAE_METRIC_NLL && samples == 0)
		cli_usage(c, "--metric nll needs -K 1 or more");
	s->samples = samples >= 0 ? (unsigned)samples : s->metric == VAE_METRIC_NLL ? NLL_SAMPLES : 0;
	if ((s->all || s->count_only) && !threshold)
		cli_usage(c, "%s needs a threshold (-t)", s->all ? "--all" : "-c");
	if (s->all && s->count_only)
		cli_usage(c, "--all and -c exclude each other");
	if (s->metric == VAE_METRIC_NLL && vae_model_arch(s->m)->autoencoder)
		cli_usage(c, "--metric nll: %s is an autoencoder, with no likelihood to estimate; "
		          "use --metric recon", c->model);
	if (vae_model_arch(s->m)->autoencoder)
		s->samples = 0;         /* its code is deterministic: draws change nothing */
	if ((threshold || s->explain) && c->out_format >= VAE_FMT_NPY)
		cli_usage(c, "%s writes text fields: use -O csv or tsv", threshold ? "-t" : "--explain");
	if (threshold)
		set_threshold(c, s, threshold);
	if (s->pvalue) {
		const char *metric = cli_name(VAE_NAMES_METRIC, s->metric);
		uint64_t rows;
		unsigned samples_q;
		if (!vae_model_calibration(s->m, s->metric, &rows, &samples_q))
			cli_usage(c, "--pvalue: %s holds no training scores for %s", c->model, metric);
		if (samples_q != s->samples)
			cli_usage(c, "--pvalue: the model's %s scores were measured with -K %u, not %u",
			          metric, samples_q, s->samples);
	}
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		CLI_LONG,
		{ .name = "metric", .has_arg = required_argument, .val = OPT_METRIC },
		{ .name = "samples", .has_arg = required_argument, .val = 'K' },
		{ .name = "threshold", .has_arg = required_argument, .val = 't' },
		{ .name = "all", .has_arg = no_argument, .val = OPT_ALL },
		{ .name = "count", .has_arg = no_argument, .val = 'c' },
		{ .name = "pvalue", .has_arg = no_argument, .val = OPT_PVALUE },
		{ .name = "explain", .has_arg = required_argument, .val = OPT_EXPLAIN },
		{ .name = "label", .has_arg = required_argument, .val = OPT_LABEL },
		{ 0 }
	};
	struct cli c;
	struct score s = { .c = &c };
	const char *threshold = NULL, *label = NULL;
	int opt, samples = -1;

	s.metric = -1;                  /* the model's default */
	cli_init(&c, "vae-score", CLI_FILTER | CLI_SEED, argv);
	while ((opt = getopt_long(argc, argv, CLI_SHORT "K:t:c", longs, NULL)) != -1) {
		if (cli_option(&c, opt, optarg, help))
			continue;
		switch (opt) {
		case OPT_METRIC: s.metric = cli_choose(&c, "--metric", optarg, VAE_NAMES_METRIC); break;
		case 'K': samples = (int)cli_uint(&c, "-K", optarg, 0, 1000000); break;
		case 't': threshold = optarg; break;
		case OPT_ALL: s.all = 1; break;
		case 'c': s.count_only = 1; break;
		case OPT_PVALUE: s.pvalue = 1; break;
		case OPT_EXPLAIN: s.explain = (unsigned)cli_uint(&c, "--explain", optarg, 1, 1000); break;
		case OPT_LABEL: label = optarg; break;
		}
	}
	cli_finish_options(&c, argc, argv, 1);
	s.m = cli_load_model(&c);
	s.seed = c.seed;
	if (s.metric < 0)
		s.metric = vae_model_default_metric(s.m);
	check_options(&c, &s, samples, threshold);
	if (label && !vae_model_classes(s.m, NULL, NULL))
		cli_usage(&c, "--label: %s has no label (vae-fit --label trains one)", c.model);
	size_t n_in = vae_model_arch(s.m)->n_in;
	s.workers = cli_workers_new(&c, s.m);
	if (!(s.score = malloc(CLI_CHUNK * sizeof *s.score))
	    || (s.explain && !(s.share = malloc(CLI_CHUNK * n_in * sizeof *s.share))))
		cli_nomem(&c);
	s.names = cli_model_names(s.m);
	cli_open_output(&c);
	struct cli_filter f = {
		.n_in = n_in, .names = s.names, .model = s.m, .header = header, .chunk = chunk, .user = &s,
		.finish = finish, .prepare = prepare, .out_width = 1 + (size_t)s.all + (size_t)s.pvalue,
		.labelled = vae_model_classes(s.m, NULL, NULL) ? s.m : NULL, .label = label
	};
	int status = cli_filter_run(&c, &f);
	free(s.names);
	free(s.score);
	free(s.share);
	cli_workers_free(s.workers);
	vae_model_free(s.m);
	return status == EXIT_OK && s.has_threshold && !s.over ? EXIT_NONE : status;
}
