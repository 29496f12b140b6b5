/* vae-fit: train a variational autoencoder on rows and write the model. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* This program's long options without a letter. */
enum {
	OPT_SIGMA = CLI_OPT_FIRST_PRIVATE,
	OPT_AE,
	OPT_SCALE,
	OPT_INIT,
	OPT_BETA,
	OPT_WARMUP,
	OPT_FREE_BITS,
	OPT_NOISE,
	OPT_LR,
	OPT_LR_DECAY,
	OPT_AVERAGE,
	OPT_CLIP,
	OPT_VAL,
	OPT_PATIENCE,
	OPT_CONTAMINATION,
	OPT_LOG,
	OPT_TYPES,
	OPT_UNSEEN,
	OPT_MEMORY,
	OPT_LABEL,
	OPT_LABEL_WEIGHT
};

static vae_arch arch = {
	.n_latent = 2, .n_hidden = 1, .hidden = { 64 },
	.activation = VAE_RELU, .likelihood = VAE_GAUSSIAN
};
static vae_fit_opts opts;
static int scaling = -1;        /* -1: standard, or minmax for bernoulli */
static uint32_t image_h, image_w;   /* the first input's image shape */
static const char *init_path, *log_path;
static const char *types_arg;   /* --types: name:kind or N:kind, by commas */
static int unseen_other;        /* --unseen other: reserve a level for new values */
static int likelihood_given;    /* -l: every column of numbers is real */
static unsigned given;          /* VAE_CHOSE_* bits of the sizes given: vae_plan
                                 * chooses the others from the data */
static int contamination_given; /* --contamination: else TABLE_CONTAMINATION for text */
static int text_input;          /* the first input is CSV or TSV */

/* The share of each batch a fit on a table's rows leaves out by default:
 * a table's rows are records, some of them incidents (the cron case:
 * last week's log holds last week's incidents), which the model is not to
 * learn.  Measured on bench/anomaly.py with 5% anomalies in training:
 * mean ROC-AUC 0.857 against 0.847 without; 0.884 against 0.895 with
 * clean rows.  Images and other tensors are taken as clean. */
#define TABLE_CONTAMINATION 0.1f
static vae_survey *survey;      /* what the text inputs hold, for the kinds */
static size_t memory;           /* --memory: bytes the training rows may take */
static const char *memory_arg;  /* as given, for messages */
static const char *arch_option; /* an architecture option given, for --init */
static size_t *col_field;       /* model column -> its field number in the first input */
static const vae_comm *comm;    /* the processes training together under mpirun, or NULL */
static const char *label_arg;   /* --label: the column of the rows' labels */
static char *keep_list;         /* -k's list with the label column added */
static cli_classes *classes;    /* the labels' texts, learnt as they are read */
static char *label_name;        /* the label column's header name, or NULL */

static void help(const struct cli *c)
{
	printf("usage: %s [options] [FILE...] > MODEL\n"
	       "Train a variational autoencoder on rows (CSV, TSV, NPY or IDX; gzipped or\n"
	       "plain) and write the model file to -o FILE or to stdout.  The sizes not\n"
	       "given are chosen from the rows and columns, and said on stderr.\n\n"
	       "Model:\n"
	       "  -z, --latent K[,K2]     latent size [columns/2, 2 to 16]; K,K2: two\n"
	       "                          stochastic levels, z1 of K and z2 of K2 above it\n"
	       "  -H, --hidden LIST       encoder hidden sizes, decoder mirrored [4 x columns,\n"
	       "                          rounded down to a power of 2, 32 to 256]\n"
	       "  -a, --activation A      relu, tanh or softplus [%s]\n"
	       "  -l, --likelihood L      bernoulli ([0,1] data), gaussian or laplace [%s]\n"
	       "      --sigma S           fix the gaussian sigma (laplace b) in scaled units:\n"
	       "                          the MSE (L1) loss [learned per column]\n"
	       "      --ae                a plain autoencoder: deterministic code, no KL\n"
	       "      --scale S           none, standard or minmax [standard; bernoulli: minmax]\n"
	       "      --init MODEL        continue training MODEL (its architecture, scaling\n"
	       "                          and optimiser state) on these rows\n"
	       "      --types LIST        column kinds, NAME:KIND or N:KIND by commas; kinds:\n"
	       "                          real, positive, count, binary, cat [detected]\n"
	       "      --unseen U          error, or other: reserve a level in each cat column\n"
	       "                          for values not seen in training [error]\n"
	       "      --label COL         a column of labels (a header name or field number;\n"
	       "                          text or numbers, empty for none): a conditional\n"
	       "                          VAE with a classifier q(y|x), semi-supervised when\n"
	       "                          some rows have no label (Kingma et al.'s M2)\n"
	       "      --label-weight A    how much a labelled row's classifier loss counts\n"
	       "                          beside a row's -ELBO [%g]\n\n"
	       "Objective:\n"
	       "      --beta X            weight of the KL term [%g]\n"
	       "      --warmup N          epochs over which beta rises from 0 [%u]\n"
	       "      --free-bits X       nats of KL per latent dimension left unpenalised [%g]\n"
	       "      --noise S           denoising: Gaussian noise of sd S on the input, or\n"
	       "                          mask:P to zero each value with chance P [none]\n"
	       "      --contamination P   leave the share P of each batch that fits worst out\n"
	       "                          of its step: anomalies among the rows [CSV and TSV\n"
	       "                          input: %g; NPY and IDX: 0]\n\n"
	       "Training:\n"
	       "  -e, --epochs N          passes over the data [%u, or more for at least\n"
	       "                          2000 steps; with --val, until patience stops them]\n"
	       "  -b, --batch N           rows per Adam step [rows/16, a power of 2 from 16\n"
	       "                          to %zu]\n"
	       "      --lr X              Adam's learning rate [%g]\n"
	       "      --lr-decay G        learning rate factor per epoch [%g]\n"
	       "      --average N         write (and validate) the weights averaged over\n"
	       "                          about the last N steps; 0 for none [an epoch's\n"
	       "                          steps, at most %d]\n"
	       "      --clip N            largest gradient norm, 0 for none [%g]\n"
	       "      --val FRACTION      rows held out: the best epoch's weights are kept and\n"
	       "                          the score percentiles come from them [without -e,\n"
	       "                          0.1 from 2000 rows; else 0]\n"
	       "      --patience N        stop after N epochs without a better validation\n"
	       "                          loss, 0 for never [10 with the --val chosen, else 0]\n"
	       "      --memory SIZE       bytes the rows may take, like 256M or 4G; more rows\n"
	       "                          are spooled to a file in TMPDIR and streamed from it\n"
	       "                          [half of the physical memory]\n"
	       "      --log FILE          per-epoch figures as CSV\n\n"
	       "Common:\n", c->prog, cli_name(VAE_NAMES_ACTIVATION, arch.activation),
	       cli_name(VAE_NAMES_LIKELIHOOD, arch.likelihood), (double)VAE_LABEL_WEIGHT, (double)opts.beta, opts.warmup, (double)opts.free_bits,
	       (double)TABLE_CONTAMINATION, opts.epochs, opts.batch, (double)opts.lr, (double)opts.lr_decay, VAE_AVERAGE_MAX, (double)opts.clip);
	cli_help_shared(c);
}

static void parse_hidden(const struct cli *c, const char *arg)
{
	char buf[32];
	size_t n = 0;

	if (!*arg)
		cli_usage(c, "-H: expected sizes like 128,64, got nothing");
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

/* -z K, or K1,K2 for two stochastic levels z1 and z2. */
static void parse_latent(const struct cli *c, const char *arg)
{
	char buf[32];
	size_t len = strcspn(arg, ",");

	if (len >= sizeof buf)
		cli_usage(c, "-z: expected a latent size like 16, or two like 20,10, got \"%s\"", arg);
	memcpy(buf, arg, len);
	buf[len] = 0;
	arch.n_latent = (size_t)cli_uint(c, "-z", buf, 1, 1u << 16);
	arch.n_latent2 = 0;
	if (!arg[len])
		return;
	if (strchr(arg + len + 1, ','))
		cli_usage(c, "-z: at most two latent levels, like 20,10, got \"%s\"", arg);
	arch.n_latent2 = (size_t)cli_uint(c, "-z", arg + len + 1, 1, 1u << 16);
}

/* --memory SIZE: bytes, or with a suffix K, M, G or T (powers of 1024). */
static size_t parse_memory(const struct cli *c, const char *arg)
{
	static const char units[] = "KMGT";
	char *end;
	double v = strtod(arg, &end), f = 1;
	const char *u = *end ? strchr(units, *end & ~0x20) : NULL;

	if (u) {
		for (const char *p = units; p <= u; p++)
			f *= 1024;
		end++;
	}
	if (end == arg || *end || !(v * f >= 1 << 20) || v * f > 0x1p62)
		cli_usage(c, "--memory: expected a size from 1M, like 256M or 4G, got \"%s\"", arg);
	return (size_t)(v * f);
}

/* Half of the physical memory: what a fit's rows may take without
 * --memory. */
static size_t half_the_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	return pages > 0 && size > 0 ? (size_t)pages * (size_t)size / 2 : (size_t)1 << 30;
}

/* --noise S (Gaussian sd) or --noise mask:P */
static void parse_noise(const struct cli *c, const char *arg)
{
	if (!strncmp(arg, "mask:", 5))
		opts.mask = (float)cli_real(c, "--noise mask:", arg + 5, 0, 0.99);
	else
		opts.noise = (float)cli_real(c, "--noise", arg, 0, 1000);
}

/* ======================================================================
 * Progress: a bar on a terminal, one summary line elsewhere (a line per
 * epoch would fill cron mail and CI logs: --log has them), a CSV log
 * ==================================================================== */

struct progress {
	const struct cli *c;
	int tty;
	FILE *log;
	double before;          /* seconds of the epochs before this one */
	vae_epoch last;         /* the last complete epoch */
};

static void bar(const struct progress *p, const vae_epoch *ep)
{
	double frac = ((ep->epoch - 1) + (double)ep->rows_done / (double)ep->rows) / ep->epochs;
	double spent = p->before + ep->seconds, eta = frac > 0 ? spent / frac - spent : 0;
	char hashes[21];
	int n = (int)(20 * ((double)ep->rows_done / (double)ep->rows));

	memset(hashes, '#', (size_t)n);
	memset(hashes + n, '.', (size_t)(20 - n));
	hashes[20] = 0;
	fprintf(stderr, "\r%s: epoch %u/%u%s [%s] %.0f rows/s loss %.2f (recon %.2f KL %.2f)",
	        p->c->prog, ep->epoch, ep->epochs, ep->window ? " streaming" : "", hashes,
	        ep->seconds > 0 ? (double)ep->rows_done / ep->seconds : 0.0, ep->loss, ep->recon, ep->kl);
	if (ep->val == ep->val)
		fprintf(stderr, " val %.2f", ep->val);
	fprintf(stderr, " ETA %d:%02d\033[K", (int)eta / 60, (int)eta % 60);
}

/* The sizes vae_plan chose from the data, as the options that give them. */
static void tell_chosen(const vae_model *m, const vae_record *r)
{
	const vae_arch *a = vae_model_arch(m);

	if (!r->chosen)
		return;
	fputs("; chosen from the data:", stderr);
	if (r->chosen & VAE_CHOSE_LATENT)
		fprintf(stderr, " -z %zu", a->n_latent);
	if (r->chosen & VAE_CHOSE_HIDDEN)
		for (size_t i = 0; i < a->n_hidden; i++)
			fprintf(stderr, "%s%zu", i ? "," : " -H ", a->hidden[i]);
	if (r->chosen & VAE_CHOSE_BATCH)
		fprintf(stderr, " -b %u", r->batch);
	if (r->chosen & VAE_CHOSE_EPOCHS)
		fprintf(stderr, " -e %u", opts.epochs);
	if (r->chosen & VAE_CHOSE_VAL)
		fprintf(stderr, " --val %g --patience %u", (double)r->val, r->patience);
}

/* After training, unless -q: the epochs run, the last epoch's losses, with
 * validation the epoch whose weights the model keeps, and the sizes chosen
 * from the data. */
static void summary(const struct progress *p, const vae_model *m)
{
	const vae_epoch *ep = &p->last;
	const vae_record *r = vae_model_record(m);

	fprintf(stderr, "%s: %u epoch%s of %llu rows%s in %.2f s", p->c->prog, ep->epoch,
	        ep->epoch == 1 ? "" : "s", (unsigned long long)ep->rows,
	        ep->window ? " streamed from disk" : "", p->before);
	if (comm)
		fprintf(stderr, " on %d processes", comm->size);
	fprintf(stderr, ": loss %.4f (recon %.4f + KL %.4f)", ep->loss, ep->recon, ep->kl);
	if (ep->val == ep->val)
		fprintf(stderr, ", val %.4f, kept epoch %u (val %.4f)", ep->val, r->best_epoch,
		        (double)r->val_loss);
	tell_chosen(m, r);
	fputc('\n', stderr);
}

static int progress(const vae_epoch *ep, void *user)
{
	struct progress *p = user;

	if (!p->c->quiet && p->tty)
		bar(p, ep);
	if (!ep->done)
		return 0;
	if (!p->c->quiet && p->tty)
		fputc('\n', stderr);
	p->last = *ep;
	if (p->log) {
		fprintf(p->log, "%u,%.3f,%.6g,%.6g,%.6g,%.6g,%g,%g,%d\n", ep->epoch, ep->seconds,
		        ep->loss, ep->recon, ep->kl, ep->val, (double)ep->beta, (double)ep->lr, ep->best);
		fflush(p->log);
	}
	p->before += ep->seconds;
	return 0;
}

/* The training rows: in memory, or once they outgrow --memory, in a spool
 * file that each epoch streams. */
struct rows {
	vae_mat mem;            /* the rows in memory (capacity cap rows) */
	float *y;               /* --label: each row's label (a class, NAN: none), cap */
	size_t cap;
	vae_rows *spool;        /* NULL while they fit */
	int in_place;           /* spool: the input file itself, read as it is */
	size_t n, cols;         /* rows and columns, wherever they are */
};

static int too_big(vae_err *e, size_t rows, size_t d)
{
	memset(e, 0, sizeof *e);
	e->code = VAE_ENOMEM;
	snprintf(e->msg, sizeof e->msg, "the training data does not fit in memory as float32 "
	         "(%zu rows of %zu columns read so far)", rows, d);
	return VAE_ENOMEM;
}

/* Would rows of d columns outgrow --memory in a fit in memory?  Beside
 * the floats a row has an index, and the validation rows (a tenth) are
 * copied for their scores. */
static int outgrows(size_t rows, size_t d)
{
	double row = 1.1 * (double)d * sizeof(float) + sizeof(size_t);

	return (double)rows * row > (double)memory;
}

/* The rows in memory into a spool in TMPDIR, from which the rest go on. */
static int spill(struct cli *c, struct rows *data, vae_err *e)
{
	int rc;

	if (!(data->spool = vae_rows_spool(data->cols, NULL, e)))
		return e->code;
	if ((rc = vae_rows_append(data->spool, &data->mem, e)))
		return rc;
	float *x = realloc(data->mem.x, CLI_CHUNK * (data->cols ? data->cols : 1) * sizeof(float));
	if (!x)
		return too_big(e, data->n, data->cols);
	data->mem.x = x;        /* from now on a chunk's buffer */
	data->mem.rows = 0;
	data->cap = CLI_CHUNK;
	if (!c->quiet)
		cli_warn(c, "the rows outgrow --memory %s: spooled as float32 in %s and streamed "
		         "from there", memory_arg, getenv("TMPDIR") && *getenv("TMPDIR")
		         ? getenv("TMPDIR") : "/tmp");
	return 0;
}

/* Room for a chunk more in memory, or a spool when they would outgrow it. */
static int make_room(struct cli *c, struct rows *data, vae_err *e)
{
	size_t d = data->cols;

	if (!data->spool && outgrows(data->n + CLI_CHUNK, d)) {
		if (label_arg) {
			cli_warn(c, "--label: the rows outgrow --memory %s; rows with labels train in "
			         "memory: give a larger --memory", memory_arg);
			cli_exit(c, EXIT_USAGE);
		}
		return spill(c, data, e);
	}
	if (data->mem.rows + CLI_CHUNK > data->cap) {
		size_t want = 2 * data->cap + CLI_CHUNK;
		float *x = d && want <= SIZE_MAX / sizeof(float) / d
		         ? realloc(data->mem.x, want * d * sizeof(float)) : NULL;
		if (!x)
			return too_big(e, data->n, d);
		data->mem.x = x;
		data->cap = want;
		if (label_arg && !(data->y = realloc(data->y, want * sizeof *data->y)))
			return too_big(e, data->n, d);
	}
	return 0;
}

/* A plain NPY or IDX file whose rows outgrow --memory is read in place,
 * a block at a time, as it is: no copy of it in a spool.  Its rows are
 * still read through the reader once, for its checks. */
static void read_in_place(struct cli *c, const vae_reader *r, struct rows *data)
{
	vae_err e = { 0 };
	vae_rows *file = c->n_inputs == 1 && !c->fields && !keep_list
	               ? vae_rows_open(r, &e) : NULL;

	if (!file || !outgrows(vae_rows_count(file), vae_rows_cols(file))) {
		vae_rows_close(file);   /* read as any other input */
		return;
	}
	data->spool = file;
	data->in_place = 1;
	if (!c->quiet)
		cli_warn(c, "the rows outgrow --memory %s: read from %s as they are, a block at a "
		         "time", memory_arg, vae_reader_path(r));
}

/* The labels of a chunk's rows, the kept field at, into y: as the
 * model's classes with --init, else as the classes learnt so far (their
 * order of first sight, until all are in).  line: the chunk's first
 * row's. */
static int take_labels(const vae_reader *r, const vae_text *keep, size_t at, float *y,
                       const vae_model *init, unsigned long line, vae_err *e)
{
	int rc = 0;

	for (size_t i = 0; i < keep->rows && !rc; i++) {
		size_t len;
		const char *s = vae_text_field(keep, i, at, &len);
		long k = cli_label_missing(s, len) ? -3 : init ? cli_model_class(init, s, len)
		       : cli_classes_add(classes, s, len);
		if (k >= 0 || k == -3) {
			y[i] = k >= 0 ? (float)k : NAN;
			continue;
		}
		if (init) {
			rc = cli_label_class(init, s, len, &y[i], e);
		} else {
			memset(e, 0, sizeof *e);
			rc = e->code = k == -2 ? VAE_ENOMEM : VAE_EDATA;
			snprintf(e->msg, sizeof e->msg, k == -2 ? "out of memory"
			         : "--label: more than %d classes: an id, not a label?", VAE_MAX_LEVELS);
		}
		snprintf(e->file, sizeof e->file, "%s", vae_reader_path(r));
		e->line = line + i;
		e->column = vae_reader_keep_field(r, at);
	}
	return rc;
}

/* Append one input's rows to data; the first input fixes the columns,
 * later ones must have the same.  With --label, each row's label too. */
static int load_input(struct cli *c, vae_reader *r, struct rows *data,
                      const char *const *names, const vae_model *init, vae_err *e)
{
	size_t d = data->cols;
	unsigned long line = 1 + (vae_reader_name(r, 0) != NULL);
	vae_text keep = { 0 };
	long n = 0, at = -1;
	int rc;

	if ((label_arg && (rc = cli_label_column(r, label_arg, e)))
	    || (rc = vae_reader_select(r, c->fields, keep_list, names, d, e)))
		return rc;
	for (size_t j = 0; label_arg && j < d; j++)
		if (vae_reader_col_field(r, j) == vae_reader_keep_field(r, (size_t)cli_label_place(r, label_arg)))
			cli_usage(c, "--label %s: the column is a model column too (-f)", label_arg);
	at = label_arg ? cli_label_place(r, label_arg) : -1;
	if (label_arg && !label_name && vae_reader_keep_name(r, (size_t)at)
	    && !(label_name = strdup(vae_reader_keep_name(r, (size_t)at))))
		cli_nomem(c);
	if (init && (rc = vae_reader_use_model(r, init, e)))
		return rc;              /* its levels read the text */
	if (survey && (rc = vae_reader_survey(r, survey, e)))
		return rc;
	do {
		if ((rc = make_room(c, data, e)))
			break;
		vae_mat chunk = { 0, d, data->mem.x + data->mem.rows * d };
		n = vae_reader_read(r, &chunk, at >= 0 ? &keep : NULL, CLI_CHUNK, e);
		if (at >= 0 && chunk.rows
		    && (rc = take_labels(r, &keep, (size_t)at, data->y + data->n, init, line, e)))
			break;
		line += chunk.rows;
		data->n += chunk.rows;  /* in place: read for its checks only */
		if (data->spool && !data->in_place && chunk.rows
		    && (rc = vae_rows_append(data->spool, &chunk, e)))
			break;
		if (!data->spool)
			data->mem.rows += chunk.rows;
	} while (n > 0);
	vae_text_release(&keep);
	return rc ? rc : n < 0 ? (int)n : 0;
}

/* fn on each block of the rows in turn, for a pass over them wherever
 * they are: all of them in memory, or those on disk a chunk at a time,
 * read into the chunk's buffer. */
static void each_block(struct cli *c, struct rows *data,
                       int (*fn)(vae_mat *block, size_t r0, void *arg), void *arg)
{
	vae_mat chunk = { data->cap, data->cols, data->mem.x };
	vae_err e = { 0 };

	if (!data->spool)
		fn(&data->mem, 0, arg);
	else if (vae_rows_each(data->spool, &chunk, 0, fn, arg, &e))
		cli_die(c, &e);
}

/* Read every input into data.  The first one names the columns, unless a
 * model (--init) does: then its columns are found as vae-enc finds them.
 * @return the column names (NULL without a header); free() the array. */
static char **load(struct cli *c, struct rows *data, const vae_model *init)
{
	const char **want = init ? cli_model_names(init) : NULL;
	size_t want_n = init ? vae_model_arch(init)->n_in : 0;
	vae_err e = { 0 };
	char **names = NULL;

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
			rc = label_arg ? cli_label_column(r, label_arg, &e) : 0;
			if (!rc)
				rc = vae_reader_select(r, c->fields, keep_list, want, want_n, &e);
			if (!rc)
				cli_report_unnamed(c, r);
			data->cols = data->mem.cols = vae_reader_n_cols(r);
			if (data->cols != vae_reader_n_fields(r))
				image_h = image_w = 0;  /* some pixels only: no longer an image */
			if (!rc && vae_reader_col_name(r, 0) && (names = calloc(data->cols, sizeof *names)))
				for (size_t j = 0; j < data->cols; j++)
					names[j] = strdup(vae_reader_col_name(r, j));
			if (!rc && !init)
				read_in_place(c, r, data);
			if (!rc && (col_field = calloc(data->cols ? data->cols : 1, sizeof *col_field)))
				for (size_t j = 0; j < data->cols; j++)
					col_field[j] = vae_reader_col_field(r, j);
			/* text: its columns' kinds are learnt from it; tensors are numbers */
			/* (one field a line: numbers, for a wrong delimiter shows there) */
			int text = vae_reader_format(r) == VAE_FMT_CSV || vae_reader_format(r) == VAE_FMT_TSV;
			text_input = text;
			if (!rc && !init && text && data->cols && (vae_reader_n_fields(r) > 1 || types_arg)
			    && !(survey = vae_survey_new(data->cols)))
				cli_nomem(c);
		}
		if (!rc)
			rc = load_input(c, r, data, want ? want : (const char *const *)names, init, &e);
		if (r)
			cli_report_skipped(c, r);
		vae_reader_close(r);
		if (rc)
			cli_die(c, &e);
	}
	free(want);
	return names;
}

/* --types: column j's kind, or -1 where the list names none.  A column is
 * named as -f names it: by its header name, or by its field number. */
static int *parse_types(const struct cli *c, size_t n, char *const *names)
{
	int *kinds = malloc((n ? n : 1) * sizeof *kinds);
	char buf[256];

	if (!kinds)
		cli_nomem((struct cli *)c);
	for (size_t j = 0; j < n; j++)
		kinds[j] = -1;
	for (const char *p = types_arg; p && *p;) {
		size_t len = strcspn(p, ","), j;
		const char *colon = memchr(p, ':', len);
		if (!colon || colon == p || len >= sizeof buf)
			cli_usage(c, "--types: expected NAME:KIND or N:KIND, got \"%.*s\"", (int)len, p);
		size_t nlen = (size_t)(colon - p);
		memcpy(buf, colon + 1, len - nlen - 1);
		buf[len - nlen - 1] = 0;
		int kind = cli_choose(c, "--types", buf, VAE_NAMES_KIND);
		for (j = 0; j < n; j++)
			if ((names && names[j] && strlen(names[j]) == nlen && !memcmp(names[j], p, nlen))
			    || (strspn(p, "0123456789") == nlen && col_field
			        && strtoul(p, NULL, 10) == col_field[j]))
				break;
		if (j == n)
			cli_usage(c, "--types: \"%.*s\" is not a model column", (int)nlen, p);
		kinds[j] = kind;
		p += len + (p[len] == ',');
	}
	return kinds;
}

/* The kinds and levels of the columns, from what the survey saw, and the
 * rows turned into the columns' values (levels' indices).  @return them,
 * or NULL when the inputs were not text (every column is real then). */
static vae_column *decide_columns(struct cli *c, struct rows *data, char **names)
{
	vae_column *cols = NULL;
	vae_err e = { 0 };

	if (!survey) {
		if (types_arg)
			cli_usage(c, "--types needs text input: binary inputs hold numbers only");
		if (c->missing == VAE_MISSING_MASK && !(cols = calloc(data->cols, sizeof *cols)))
			cli_nomem(c);   /* numbers with holes: real columns, masked */
		return cols;
	}
	int *kinds = parse_types(c, data->cols, names);
	int numbers = likelihood_given ? VAE_KIND_REAL : -1;
	if (data->spool ? vae_survey_decide_rows(survey, data->spool, kinds, numbers, unseen_other,
	                                         (const char *const *)names, &cols, &e)
	                : vae_survey_decide(survey, &data->mem, kinds, numbers, unseen_other,
	                                    (const char *const *)names, &cols, &e))
		cli_die(c, &e);
	free(kinds);
	vae_survey_free(survey);
	survey = NULL;
	return cols;
}

/* Without --missing, the training rows' missing cells are masked when
 * there are any (a real table has empty cells, and none is dropped): said
 * on stderr; with none, the model has no masks, as before.  A missing
 * cell reads as the NAN whose payload is 0; the survey's codes for text
 * are NaNs with payloads. */
struct holes {
	size_t cells, rows;     /* missing cells, rows with some */
};

static int count_holes(vae_mat *x, size_t r0, void *arg)
{
	struct holes *h = arg;
	const float hole = NAN;

	(void)r0;
	for (size_t r = 0; r < x->rows; r++) {
		size_t before = h->cells;
		for (size_t j = 0; j < x->cols; j++)
			h->cells += !memcmp(&x->x[r * x->cols + j], &hole, sizeof hole);
		h->rows += h->cells > before;
	}
	return 0;
}

static void mask_if_holes(struct cli *c, struct rows *data)
{
	struct holes h = { 0, 0 };
	double n = (double)data->n * (double)data->cols;

	each_block(c, data, count_holes, &h);
	if (!h.cells) {
		c->missing = VAE_MISSING_ERROR;
		return;
	}
	if (!c->quiet)
		cli_warn(c, "%zu missing cell%s (%.1f%%) in %zu row%s: left out of the likelihood, "
		         "the encoder told which (--missing error refuses them)", h.cells,
		         h.cells == 1 ? "" : "s", 100.0 * (double)h.cells / n, h.rows,
		         h.rows == 1 ? "" : "s");
}

/* A cat column with a level for nearly every row (a name, an id) teaches
 * the model nothing and costs it a unit per row: said, with the way out. */
static void tell_ids(const struct cli *c, const vae_column *cols, size_t n, size_t rows,
                     char *const *names)
{
	for (size_t j = 0; cols && !c->quiet && rows >= 20 && j < n; j++)
		if (cols[j].kind == VAE_KIND_CAT && 10 * cols[j].n_levels >= 9 * rows) {
			if (names && names[j])
				cli_warn(c, "column \"%s\" has %zu levels in %zu rows: an id or a name? "
				         "(-k keeps it out of the model)", names[j], cols[j].n_levels, rows);
			else
				cli_warn(c, "field %zu has %zu levels in %zu rows: an id or a name? (-k keeps "
				         "it out of the model)", col_field && col_field[j] ? col_field[j] : j + 1,
				         cols[j].n_levels, rows);
		}
}

/* A table: some column is not real, or the encoder is to see masks. */
static int is_table(const vae_column *cols, size_t n, int masked)
{
	for (size_t j = 0; cols && j < n; j++)
		if (cols[j].kind != VAE_KIND_REAL)
			return 1;
	return cols && masked;
}

/* Say what kinds the columns were found to be, so that a surprise shows
 * before the model is used: "7 columns: 3 cat, 1 binary, ...". */
static void tell_kinds(const struct cli *c, const vae_column *cols, size_t n, int masked)
{
	size_t count[VAE_N_KINDS] = { 0 };
	char text[256];
	int len = 0;

	if (c->quiet)
		return;
	for (size_t j = 0; j < n; j++)
		count[cols[j].kind]++;
	for (int k = VAE_N_KINDS - 1; k >= 0; k--)
		if (count[k] && len < (int)sizeof text)
			len += snprintf(text + len, sizeof text - (size_t)len, "%s%zu %s", len ? ", " : "",
			                count[k], cli_name(VAE_NAMES_KIND, k));
	cli_warn(c, "%zu column%s: %s%s (vae-info lists them; --types sets them)", n,
	         n == 1 ? "" : "s", text, masked ? "; missing cells masked" : "");
}

/* A new model for data, with its scaling fitted: one offset and scale for
 * every pixel of image rows. */
static vae_model *new_model(struct cli *c, const struct rows *data, char **names,
                            const vae_column *cols)
{
	vae_err e = { 0 };
	vae_model *m;
	int masked = c->missing == VAE_MISSING_MASK;

	arch.n_in = data->cols;
	if (scaling < 0)
		scaling = arch.likelihood == VAE_BERNOULLI ? VAE_SCALE_MINMAX : VAE_SCALE_STANDARD;
	if (!is_table(cols, data->cols, masked))
		cols = NULL;
	if (cols) {
		tell_kinds(c, cols, data->cols, masked);
		tell_ids(c, cols, data->cols, data->n, names);
	}
	if (!(m = cols ? vae_model_new_table(&arch, cols, masked, c->seed, &e)
	               : vae_model_new(&arch, c->seed, &e))
	    || vae_model_set_names(m, (const char *const *)names, names ? data->cols : 0, &e)
	    || (classes && vae_model_set_classes(m, label_name, cli_classes_order(classes, NULL, 0),
	                                         arch.n_classes, &e))
	    || (data->spool ? vae_model_fit_scale_rows(m, data->spool, scaling, image_h > 0, &e)
	                    : vae_model_fit_scale(m, &data->mem, scaling, image_h > 0, &e)))
		cli_die(c, &e);
	vae_model_set_image(m, image_h, image_w);
	return m;
}

/* Bernoulli rows must lie in [0, 1] once scaled: a value outside is a
 * usage error naming its column as the user knows it, by its header name,
 * else by its field number in the input. */
struct bernoulli_check {
	const struct cli *c;
	const vae_model *m;
	char *const *names;
	int scale;              /* the rows are in user units: scale them first */
};

static int check_bernoulli(vae_mat *x, size_t r0, void *arg)
{
	const struct bernoulli_check *b = arg;

	(void)r0;
	if (b->scale)
		vae_model_scale(b->m, x);
	for (size_t i = 0; i < x->rows * x->cols; i++) {
		size_t j = i % x->cols;
		if ((x->x[i] >= 0 && x->x[i] <= 1) || x->x[i] != x->x[i]
		    || vae_model_column(b->m, j)->kind != VAE_KIND_REAL)
			continue;
		if (b->names && b->names[j])
			cli_usage(b->c, "-l bernoulli: column \"%s\" has values outside [0, 1] after "
			          "scaling (--scale minmax maps each column to them)", b->names[j]);
		cli_usage(b->c, "-l bernoulli: field %zu has values outside [0, 1] after scaling "
		          "(--scale minmax maps each column to them)",
		          col_field && col_field[j] ? col_field[j] : j + 1);
	}
	return 0;
}

/* Under mpirun, the rows this process holds (row i when i % size is its
 * rank) from rows on disk into memory, scaled: a process trains on its
 * share in memory, and rows beyond one machine's memory spread over
 * several.  The spool goes. */
static int keep_mine(vae_mat *block, size_t r0, void *arg)
{
	vae_mat *mine = arg;
	size_t d = block->cols, size = (size_t)comm->size, rank = (size_t)comm->rank;

	for (size_t i = (rank + size - r0 % size) % size; i < block->rows; i += size)
		memcpy(mine->x + mine->rows++ * d, block->x + i * d, d * sizeof(float));
	return 0;
}

static void share_from_disk(struct cli *c, const vae_model *m, struct rows *data)
{
	size_t d = data->cols, size = (size_t)comm->size, rank = (size_t)comm->rank;
	size_t own = data->n > rank ? (data->n - rank + size - 1) / size : 0;
	vae_mat mine = { 0 };
	vae_err e = { 0 };

	if (outgrows(own, d)) {
		cli_warn(c, "the %zu rows this process holds outgrow --memory %s: run more processes, "
		         "or give a larger --memory", own, memory_arg);
		cli_exit(c, EXIT_USAGE);
	}
	if (vae_mat_alloc(&mine, own, d, &e))
		cli_die(c, &e);
	mine.rows = 0;
	each_block(c, data, keep_mine, &mine);
	vae_model_scale(m, &mine);
	vae_mat_release(&data->mem);
	vae_rows_close(data->spool);
	data->spool = NULL;
	data->mem = mine;
}

/* Train m on data (user units; in memory, scaled in place; a spool's
 * rows are scaled as each epoch reads them).  Under mpirun, each process
 * keeps its share of the rows, by row number, once it has read, surveyed,
 * checked and scaled them all as one process does: so the columns' kinds,
 * levels and scaling, the sizes vae_plan chose and every message and exit
 * status are those of the one-process fit, exactly and in every input
 * format, without a sum of their own (the price: every process parses the
 * whole input; rows beyond --memory wait on disk, not in memory). */
static void train(struct cli *c, vae_model *m, struct rows *data, char *const *names)
{
	struct progress p = { .c = c, .tty = isatty(STDERR_FILENO) };
	const vae_arch *a = vae_model_arch(m);
	struct bernoulli_check check = { c, m, names, data->spool != NULL };
	vae_err e = { 0 };

	if (!data->spool)
		vae_model_scale(m, &data->mem);
	if (a->likelihood == VAE_BERNOULLI)
		each_block(c, data, check_bernoulli, &check);
	if (comm && comm->size > 1 && data->spool) {
		share_from_disk(c, m, data);
	} else if (comm && comm->size > 1) {
		vae_comm_share(comm, &data->mem);
		float *x = realloc(data->mem.x, (data->mem.rows ? data->mem.rows : 1) * data->cols
		                                * sizeof(float));
		data->mem.x = x ? x : data->mem.x;      /* the others' rows given back */
	}
	opts.comm = comm;
	if (log_path && !(p.log = fopen(log_path, "w")))
		cli_io_error(c, log_path, "cannot create", errno);
	if (p.log)
		fprintf(p.log, "epoch,seconds,loss,recon,kl,val,beta,lr,best\n");
	opts.seed = c->seed;
	opts.threads = (unsigned)c->workers;
	opts.memory = memory;
	opts.progress = progress;
	opts.user = &p;
	if (!comm || !comm->rank)
		cli_open_output(c);     /* before training: a bad -o fails now */
	cli_signal_newline(!c->quiet && p.tty);    /* SIGINT ends the bar's line */
	if (data->spool ? vae_fit_rows(m, data->spool, &opts, &e)
	    : label_arg ? vae_fit_labelled(m, &data->mem, data->y, &opts, &e)
	    : vae_fit(m, &data->mem, &opts, &e))
		cli_die(c, &e);
	cli_signal_newline(0);
	if (!c->quiet)
		summary(&p, m);
	if (p.log && (ferror(p.log) | fclose(p.log)))
		cli_io_error(c, log_path, "cannot write", errno);
}

/* Into the output cli_open_output made before training (so that -o into
 * a directory that is not there fails at once), renamed into place by
 * cli_close_output. */
static int write_model(struct cli *c, const vae_model *m)
{
	vae_err e = { 0 };

	if (vae_model_write(m, c->out, &e))
		cli_report(c, &e);      /* a write error: the temporary is removed */
	return cli_close_output(c);
}

/* make MPI=1: vae-fit trains with the processes mpirun started, if it did
 * (cmd/mpi.c), and says so in --version. */
#ifdef VAE_MPI
#define FEATURES "MPI"
static void join(int *argc, char ***argv)
{
	comm = cli_mpi_start(argc, argv);
}

static int leave(int status)
{
	return cli_mpi_end(status);
}
#else
#define FEATURES NULL
static void join(int *argc, char ***argv)
{
	(void)argc, (void)argv;
}

static int leave(int status)
{
	return status;
}
#endif

static void options(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		CLI_LONG,
		{ .name = "latent", .has_arg = required_argument, .val = 'z' },
		{ .name = "hidden", .has_arg = required_argument, .val = 'H' },
		{ .name = "activation", .has_arg = required_argument, .val = 'a' },
		{ .name = "likelihood", .has_arg = required_argument, .val = 'l' },
		{ .name = "sigma", .has_arg = required_argument, .val = OPT_SIGMA },
		{ .name = "ae", .has_arg = no_argument, .val = OPT_AE },
		{ .name = "scale", .has_arg = required_argument, .val = OPT_SCALE },
		{ .name = "init", .has_arg = required_argument, .val = OPT_INIT },
		{ .name = "beta", .has_arg = required_argument, .val = OPT_BETA },
		{ .name = "warmup", .has_arg = required_argument, .val = OPT_WARMUP },
		{ .name = "free-bits", .has_arg = required_argument, .val = OPT_FREE_BITS },
		{ .name = "noise", .has_arg = required_argument, .val = OPT_NOISE },
		{ .name = "epochs", .has_arg = required_argument, .val = 'e' },
		{ .name = "batch", .has_arg = required_argument, .val = 'b' },
		{ .name = "lr", .has_arg = required_argument, .val = OPT_LR },
		{ .name = "lr-decay", .has_arg = required_argument, .val = OPT_LR_DECAY },
		{ .name = "average", .has_arg = required_argument, .val = OPT_AVERAGE },
		{ .name = "clip", .has_arg = required_argument, .val = OPT_CLIP },
		{ .name = "val", .has_arg = required_argument, .val = OPT_VAL },
		{ .name = "patience", .has_arg = required_argument, .val = OPT_PATIENCE },
		{ .name = "contamination", .has_arg = required_argument, .val = OPT_CONTAMINATION },
		{ .name = "log", .has_arg = required_argument, .val = OPT_LOG },
		{ .name = "types", .has_arg = required_argument, .val = OPT_TYPES },
		{ .name = "unseen", .has_arg = required_argument, .val = OPT_UNSEEN },
		{ .name = "memory", .has_arg = required_argument, .val = OPT_MEMORY },
		{ .name = "label", .has_arg = required_argument, .val = OPT_LABEL },
		{ .name = "label-weight", .has_arg = required_argument, .val = OPT_LABEL_WEIGHT },
		{ 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, CLI_SHORT "z:H:a:l:e:b:", longs, NULL)) != -1) {
		if (cli_option(c, opt, optarg, help))
			continue;
		switch (opt) {      /* the options --init's model decides */
		case 'z': arch_option = "-z"; break;
		case 'H': arch_option = "-H"; break;
		case 'a': arch_option = "-a"; break;
		case 'l': arch_option = "-l"; break;
		case OPT_SIGMA: arch_option = "--sigma"; break;
		case OPT_AE: arch_option = "--ae"; break;
		case OPT_SCALE: arch_option = "--scale"; break;
		case OPT_TYPES: arch_option = "--types"; break;
		case OPT_UNSEEN: arch_option = "--unseen"; break;
		}
		switch (opt) {
		case 'z':
			parse_latent(c, optarg);
			given |= VAE_CHOSE_LATENT;
			break;
		case 'H':
			parse_hidden(c, optarg);
			given |= VAE_CHOSE_HIDDEN;
			break;
		case 'a': arch.activation = cli_choose(c, "-a", optarg, VAE_NAMES_ACTIVATION); break;
		case 'l':
			arch.likelihood = cli_choose(c, "-l", optarg, VAE_NAMES_LIKELIHOOD);
			likelihood_given = 1;
			break;
		case OPT_SIGMA: arch.obs_scale = (float)cli_real(c, "--sigma", optarg, 0.012, 80); break;
		case OPT_AE: arch.autoencoder = 1; break;
		case OPT_SCALE: scaling = cli_choose(c, "--scale", optarg, VAE_NAMES_SCALING); break;
		case OPT_INIT: init_path = optarg; break;
		case OPT_BETA: opts.beta = (float)cli_real(c, "--beta", optarg, 0, 1e6); break;
		case OPT_WARMUP: opts.warmup = (uint32_t)cli_uint(c, "--warmup", optarg, 0, 1u << 20); break;
		case OPT_FREE_BITS: opts.free_bits = (float)cli_real(c, "--free-bits", optarg, 0, 1000); break;
		case OPT_NOISE: parse_noise(c, optarg); break;
		case 'e':
			opts.epochs = (uint32_t)cli_uint(c, "-e", optarg, 1, UINT32_MAX);
			given |= VAE_CHOSE_EPOCHS;
			break;
		case 'b':
			opts.batch = (size_t)cli_uint(c, "-b", optarg, 1, 1u << 24);
			given |= VAE_CHOSE_BATCH;
			break;
		case OPT_LR: opts.lr = (float)cli_real(c, "--lr", optarg, 1e-12, 10); break;
		case OPT_LR_DECAY: opts.lr_decay = (float)cli_real(c, "--lr-decay", optarg, 1e-6, 1); break;
		case OPT_AVERAGE: opts.average = (uint32_t)cli_uint(c, "--average", optarg, 0, 1u << 30); break;
		case OPT_CLIP: opts.clip = (float)cli_real(c, "--clip", optarg, 0, 1e9); break;
		case OPT_VAL:
			opts.val = (float)cli_real(c, "--val", optarg, 0, 0.9);
			given |= VAE_CHOSE_VAL;
			break;
		case OPT_PATIENCE:
			opts.patience = (uint32_t)cli_uint(c, "--patience", optarg, 0, 1u << 20);
			given |= VAE_CHOSE_VAL;
			break;
		case OPT_CONTAMINATION:
			opts.trim = (float)cli_real(c, "--contamination", optarg, 0, 0.5);
			contamination_given = 1;
			break;
		case OPT_LOG: log_path = optarg; break;
		case OPT_MEMORY:
			memory = parse_memory(c, optarg);
			memory_arg = optarg;
			break;
		case OPT_TYPES: types_arg = optarg; break;
		case OPT_LABEL: label_arg = optarg; break;
		case OPT_LABEL_WEIGHT:
			opts.label_weight = (float)cli_real(c, "--label-weight", optarg, 1e-6, 1e9);
			break;
		case OPT_UNSEEN:
			if (strcmp(optarg, "error") && strcmp(optarg, "other"))
				cli_usage(c, "--unseen: expected error or other, got \"%s\"", optarg);
			unseen_other = !strcmp(optarg, "other");
			break;
		}
	}
	const char *bad = vae_check_fit_opts(&opts);
	if (bad)
		cli_usage(c, "%s", bad);
	if (init_path && arch_option)
		cli_usage(c, "%s does not apply with --init: the architecture and scaling come "
		          "from the model", arch_option);
	if (arch.autoencoder && arch.n_latent2)
		cli_usage(c, "--ae: a plain autoencoder has one latent level, -z one size");
	if (label_arg && (arch.autoencoder || arch.n_latent2))
		cli_usage(c, "--label: a model with a label has one latent level and a KL term "
		          "(not %s)", arch.autoencoder ? "--ae" : "-z K,K2");
	if (label_arg && !*label_arg)
		cli_usage(c, "--label: expected a column, a header name or a field number");
	if (opts.label_weight > 0 && !label_arg)
		cli_usage(c, "--label-weight: weighs the classifier of --label, not given");
}

/* --label: the classes the labels name, in order, and the labels
 * renumbered to match; a model's (--init) as they are.  At least one row
 * must have a label, and a new model two classes. */
static void decide_classes(struct cli *c, struct rows *data, const vae_model *init)
{
	size_t labelled = 0;

	if (!label_arg)
		return;
	for (size_t i = 0; i < data->n; i++)
		labelled += data->y[i] == data->y[i];
	if (!labelled)
		cli_usage(c, "--label %s: no row has a label", label_arg);
	if (init)
		return;
	if (cli_classes_count(classes) < 2)
		cli_usage(c, "--label %s: one class (\"%s\"): a label needs two at least", label_arg,
		          cli_classes_order(classes, data->y, data->n)[0]);
	cli_classes_order(classes, data->y, data->n);
	arch.n_classes = cli_classes_count(classes);
	if (!c->quiet)
		cli_warn(c, "--label %s: %zu classes; %zu of %zu rows labelled", label_arg,
		         arch.n_classes, labelled, data->n);
}

int main(int argc, char **argv)
{
	struct cli c;
	struct rows data = { 0 };
	vae_model *m = NULL;
	vae_err e = { 0 };

	opts = vae_fit_defaults();
	static char half[64];
	memory = half_the_memory();
	snprintf(half, sizeof half, "%.1fG (half of the physical memory)",
	         (double)memory / (1 << 30));
	memory_arg = half;
	join(&argc, &argv);
	cli_init(&c, "vae-fit", CLI_OUTPUT | CLI_IN_FORMAT | CLI_DELIM | CLI_MISSING | CLI_FIELDS
	         | CLI_KEEP | CLI_HEADER | CLI_NO_HEADER | CLI_SEED | CLI_THREADS | CLI_QUIET
	         | CLI_PORTABLE | CLI_COMPUTE, argv);
	c.features = FEATURES;
	c.keep_help = "columns not modelled (ids, labels, timestamps)";
	c.missing_help = "      --missing M         error; skip rows with missing values; or mask:\n"
	                 "                          leave missing cells out [mask when there are\n"
	                 "                          any, said on stderr]\n";
	options(&c, argc, argv);
	cli_finish_options(&c, argc, argv, 0);
	if (comm && comm->rank)
		c.quiet = 1, log_path = NULL;   /* process 0 speaks for all */
	for (int i = 0; init_path && !strcmp(init_path, "-") && i < c.n_inputs; i++)
		if (!strcmp(c.inputs[i], "-"))
			cli_usage(&c, "--init -: the rows come from stdin too: give them as a file "
			          "argument, or the model as a file");
	if ((!c.output || !strcmp(c.output, "-")) && isatty(STDOUT_FILENO))
		cli_usage(&c, comm ? "under mpirun, stdout is a terminal of mpirun's, which would "
		          "change the model's bytes: give -o FILE"
		          : "stdout is a terminal: give -o FILE or redirect the model");
	if (init_path && !(m = vae_model_load(init_path, VAE_LOAD_OPTIMIZER, &e)))
		cli_die(&c, &e);
	if (label_arg && m && !vae_model_classes(m, NULL, NULL))
		cli_usage(&c, "--label: %s has no label; a model with one is fitted from the start",
		          init_path);
	if (label_arg && comm && comm->size > 1)
		cli_usage(&c, "--label: a model with a label trains in one process");
	if (label_arg && (!(keep_list = cli_keep_label(c.keep, label_arg))
	                  || (!m && !(classes = cli_classes_new()))))
		cli_nomem(&c);
	if (!label_arg)
		keep_list = c.keep ? strdup(c.keep) : NULL;
	if (m && vae_model_masked(m) && c.missing < 0)
		c.missing = VAE_MISSING_MASK;   /* its rows may have holes */
	int auto_mask = c.missing < 0 && !m;
	if (auto_mask)
		c.missing = VAE_MISSING_MASK;   /* read them all, then see */
	char **names = load(&c, &data, m);
	if (data.n == 0) {
		cli_warn(&c, "%s: no training rows", c.inputs[0][0] == '-' ? "<stdin>" : c.inputs[0]);
		cli_exit(&c, EXIT_DATA);        /* as cli_die: the OS takes the buffers back */
	}
	if (auto_mask)
		mask_if_holes(&c, &data);
	vae_column *cols = m ? NULL : decide_columns(&c, &data, names);
	decide_classes(&c, &data, m);
	if (!contamination_given && text_input)
		opts.trim = TABLE_CONTAMINATION;
	vae_plan(data.n, data.cols, given | (m ? VAE_CHOSE_LATENT | VAE_CHOSE_HIDDEN : 0),
	         &arch, &opts);
	if (!m)
		m = new_model(&c, &data, names, cols);
	vae_columns_free(cols, data.cols);
	train(&c, m, &data, names);
	int status = comm && comm->rank ? 0 : write_model(&c, m);
	for (size_t j = 0; names && j < data.cols; j++)
		free(names[j]);
	free(names);
	free(col_field);
	free(data.y);
	free(keep_list);
	free(label_name);
	cli_classes_free(classes);
	vae_mat_release(&data.mem);
	vae_rows_close(data.spool);
	vae_model_free(m);
	return leave(status);
}
