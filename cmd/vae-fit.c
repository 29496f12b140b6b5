/* vae-fit: train a variational autoencoder on rows and write the model. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char *const LIKELIHOODS[] = { "bernoulli", "gaussian", "laplace" };
static const char *const ACTIVATIONS[] = { "relu", "tanh", "softplus" };
static const char *const SCALINGS[] = { "none", "standard", "minmax" };

static vae_arch arch = { 0, 2, 1, { 64 }, VAE_RELU, VAE_GAUSSIAN };
static vae_fit_opts opts;
static int scaling = -1;        /* -1: standard, or minmax for bernoulli */
static uint32_t image_h, image_w;   /* the first input's image shape */

static void help(const struct cli *c)
{
	printf("usage: %s [options] [FILE...] > MODEL\n"
	       "Train a variational autoencoder on rows (CSV, TSV, gzipped or plain) and\n"
	       "write the model file to -o FILE or to stdout.\n\n"
	       "Model:\n"
	       "  -z, --latent K          latent size [%zu]\n"
	       "  -H, --hidden LIST       encoder hidden sizes, decoder mirrored [%zu]\n"
	       "  -a, --activation A      relu, tanh or softplus [%s]\n"
	       "  -l, --likelihood L      bernoulli (data in [0,1]), gaussian or laplace [%s]\n"
	       "      --scale S           none, standard or minmax [standard; minmax for bernoulli]\n\n"
	       "Training:\n"
	       "  -e, --epochs N          passes over the data [%u]\n"
	       "  -b, --batch N           rows per Adam step [%zu]\n"
	       "      --lr X              Adam's learning rate [%g]\n"
	       "      --beta X            weight of the KL term [%g]\n\n"
	       "Common:\n", c->prog, arch.n_latent, arch.hidden[0], ACTIVATIONS[arch.activation],
	       LIKELIHOODS[arch.likelihood], opts.epochs, opts.batch, (double)opts.lr,
	       (double)opts.beta);
	cli_help_shared(c);
}

static void parse_hidden(const struct cli *c, const char *arg)
{
	char buf[32];
	size_t n = 0;

	for (const char *p = arg; *p; n++) {
		size_t len = strcspn(p, ",");
		if (n == VAE_MAX_HIDDEN || len == 0 || len >= sizeof buf)
			cli_usage(c, "-H: expected up to %d sizes like 128,64, got \"%s\"", VAE_MAX_HIDDEN, arg);
		memcpy(buf, p, len);
		buf[len] = 0;
		arch.hidden[n] = (size_t)cli_uint(c, "-H", buf, 1, 1u << 20);
		p += len + (p[len] == ',');
	}
	arch.n_hidden = n;
}

static int progress(const vae_epoch *ep, void *user)
{
	const struct cli *c = user;

	if (!c->quiet)
		fprintf(stderr, "%s: epoch %u/%u: loss %.4f (recon %.4f + KL %.4f), %.0f rows/s\n",
		        c->prog, ep->epoch, ep->epochs, ep->loss, ep->recon, ep->kl,
		        ep->seconds > 0 ? (double)ep->rows / ep->seconds : 0.0);
	return 0;
}

static int too_big(vae_err *e, size_t rows, size_t d)
{
	memset(e, 0, sizeof *e);
	e->code = VAE_ENOMEM;
	snprintf(e->msg, sizeof e->msg, "the training data does not fit in memory as float32 "
	         "(%zu rows of %zu columns read so far)", rows, d);
	return VAE_ENOMEM;
}

/* Append one input's rows to data (capacity *cap rows); the first input
 * fixes the columns, later ones must have the same. */
static int load_input(struct cli *c, vae_reader *r, vae_mat *data, size_t *cap,
                      const char *const *names, vae_err *e)
{
	size_t d = data->cols;
	long n;
	int rc;

	if ((rc = vae_reader_select(r, c->fields, c->keep, names, d, e)))
		return rc;
	do {
		if (data->rows + CLI_CHUNK > *cap) {
			size_t want = 2 * *cap + CLI_CHUNK;
			float *x = d && want <= SIZE_MAX / sizeof(float) / d
			         ? realloc(data->x, want * d * sizeof(float)) : NULL;
			if (!x)
				return too_big(e, data->rows, d);
			data->x = x;
			*cap = want;
		}
		vae_mat chunk = { 0, d, data->x + data->rows * d };
		n = vae_reader_read(r, &chunk, NULL, CLI_CHUNK, e);
		data->rows += chunk.rows;
	} while (n > 0);
	return n < 0 ? (int)n : 0;
}

/* Read every input into data; the first one names the columns.
 * @return the column names (NULL without a header); free() the array. */
static char **load(struct cli *c, vae_mat *data)
{
	vae_err e = { 0 };
	char **names = NULL;
	size_t cap = 0;

	for (int i = 0, first = 1; i < c->n_inputs; i++) {
		vae_read_opts o = cli_read_opts(c);
		vae_reader *r = vae_reader_open(c->inputs[i], &o, &e);
		int rc = r ? 0 : e.code;
		if (!rc && vae_reader_n_fields(r) == 0) {
			vae_reader_close(r);    /* empty: nothing to add */
			continue;
		}
		if (!rc && first) {
			first = 0;
			vae_reader_image(r, &image_h, &image_w);
			rc = vae_reader_select(r, c->fields, c->keep, NULL, 0, &e);
			data->cols = vae_reader_n_cols(r);
			if (!rc && vae_reader_col_name(r, 0) && (names = calloc(data->cols, sizeof *names)))
				for (size_t j = 0; j < data->cols; j++)
					names[j] = strdup(vae_reader_col_name(r, j));
		}
		if (!rc)
			rc = load_input(c, r, data, &cap, (const char *const *)names, &e);
		if (r)
			cli_report_skipped(c, r);
		vae_reader_close(r);
		if (rc)
			cli_die(c, &e);
	}
	return names;
}

/* Train a model on data (user units, scaled in place). */
static vae_model *train(struct cli *c, vae_mat *data, char **names)
{
	vae_err e = { 0 };
	vae_model *m;

	arch.n_in = data->cols;
	if (data->rows == 0) {
		cli_warn(c, "%s: no training rows", c->inputs[0][0] == '-' ? "<stdin>" : c->inputs[0]);
		exit(EXIT_DATA);
	}
	if (!(m = vae_model_new(&arch, c->seed, &e))
	    || vae_model_set_names(m, (const char *const *)names, names ? data->cols : 0, &e)
	    || vae_model_fit_scale(m, data, scaling, image_h > 0, &e))
		cli_die(c, &e);
	vae_model_set_image(m, image_h, image_w);
	vae_model_scale(m, data);
	if (arch.likelihood == VAE_BERNOULLI)
		for (size_t i = 0; i < data->rows * data->cols; i++)
			if (!(data->x[i] >= 0 && data->x[i] <= 1))
				cli_usage(c, "-l bernoulli: column %zu has values outside [0, 1] after "
				          "--scale %s", i % data->cols + 1, SCALINGS[scaling]);
	opts.seed = c->seed;
	opts.progress = progress;
	opts.user = c;
	if (vae_fit(m, data, &opts, &e))
		cli_die(c, &e);
	return m;
}

static void write_model(struct cli *c, const vae_model *m)
{
	vae_err e = { 0 };
	int rc = c->output && strcmp(c->output, "-") ? vae_model_save(m, c->output, &e)
	                                              : vae_model_write(m, stdout, &e);

	if (rc)
		cli_die(c, &e);         /* names the file, or a write error on stdout */
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		CLI_LONG,
		{ "latent", required_argument, 0, 'z' },
		{ "hidden", required_argument, 0, 'H' },
		{ "activation", required_argument, 0, 'a' },
		{ "likelihood", required_argument, 0, 'l' },
		{ "scale", required_argument, 0, 'C' + 256 },
		{ "epochs", required_argument, 0, 'e' },
		{ "batch", required_argument, 0, 'b' },
		{ "lr", required_argument, 0, 'R' + 256 },
		{ "beta", required_argument, 0, 'B' + 256 },
		{ 0, 0, 0, 0 }
	};
	struct cli c;
	vae_mat data = { 0 };
	int opt;

	opts = vae_fit_defaults();
	cli_init(&c, "vae-fit", CLI_OUTPUT | CLI_IN_FORMAT | CLI_DELIM | CLI_MISSING | CLI_FIELDS
	         | CLI_KEEP | CLI_HEADER | CLI_NO_HEADER | CLI_SEED | CLI_THREADS | CLI_QUIET, argv);
	c.keep_help = "columns left out of the model (ids, labels, timestamps)";
	while ((opt = getopt_long(argc, argv, CLI_SHORT "z:H:a:l:e:b:", longs, NULL)) != -1) {
		if (cli_option(&c, opt, optarg, help))
			continue;
		switch (opt) {
		case 'z': arch.n_latent = (size_t)cli_uint(&c, "-z", optarg, 1, 1u << 16); break;
		case 'H': parse_hidden(&c, optarg); break;
		case 'a': arch.activation = cli_choice(&c, "-a", optarg, ACTIVATIONS, 3); break;
		case 'l': arch.likelihood = cli_choice(&c, "-l", optarg, LIKELIHOODS, 3); break;
		case 'C' + 256: scaling = cli_choice(&c, "--scale", optarg, SCALINGS, 3); break;
		case 'e': opts.epochs = (uint32_t)cli_uint(&c, "-e", optarg, 1, UINT32_MAX); break;
		case 'b': opts.batch = (size_t)cli_uint(&c, "-b", optarg, 1, 1u << 24); break;
		case 'R' + 256: opts.lr = (float)cli_real(&c, "--lr", optarg, 1e-12, 10); break;
		case 'B' + 256: opts.beta = (float)cli_real(&c, "--beta", optarg, 0, 1e6); break;
		}
	}
	cli_finish_options(&c, argc, argv, 0);
	if (scaling < 0)
		scaling = arch.likelihood == VAE_BERNOULLI ? VAE_SCALE_MINMAX : VAE_SCALE_STANDARD;
	if ((!c.output || !strcmp(c.output, "-")) && isatty(STDOUT_FILENO))
		cli_usage(&c, "stdout is a terminal: give -o FILE or redirect the model");
	char **names = load(&c, &data);
	vae_model *m = train(&c, &data, names);
	write_model(&c, m);
	for (size_t j = 0; names && j < data.cols; j++)
		free(names[j]);
	free(names);
	vae_mat_release(&data);
	vae_model_free(m);
	return EXIT_OK;
}
