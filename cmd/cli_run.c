/* cli_run.c: how the row filters run: every input chunk by chunk through
 * the program's chunk(), with the next chunk parsed ahead in a thread, and
 * each chunk's rows shared between worker threads in whole blocks. */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* ======================================================================
 * Worker threads over whole blocks
 * ==================================================================== */

struct cli_workers {
	int n;                  /* c->workers */
	vae_ctx **ctx;          /* [n], one per worker: a context is not shared */
};

/* Contexts are made once, not per chunk: each holds work buffers a few
 * blocks large, and a chunk is a few milliseconds of work. */
cli_workers *cli_workers_new(struct cli *c, const vae_model *m)
{
	cli_workers *w = calloc(1, sizeof *w);
	vae_err e = { 0 };

	if (!w || !(w->ctx = calloc((size_t)c->workers, sizeof *w->ctx)))
		cli_nomem(c);
	w->n = c->workers;
	for (int i = 0; i < w->n; i++)
		if (!(w->ctx[i] = vae_ctx_new(m, VAE_BLOCK_ROWS, &e)))
			cli_die(c, &e);
	return w;
}

void cli_workers_free(cli_workers *w)
{
	for (int i = 0; w && i < w->n; i++)
		vae_ctx_free(w->ctx[i]);
	if (w)
		free(w->ctx);
	free(w);
}

/* One worker's share of a run, and what came of it. */
struct part {
	cli_work_fn fn;
	void *user;
	vae_ctx *ctx;
	size_t r0, r1;
	int rc;
	vae_err e;
};

static void *run_part(void *arg)
{
	struct part *p = arg;

	p->rc = p->fn(p->user, p->ctx, p->r0, p->r1, &p->e);
	return NULL;
}

/* The parts are vae_block_share's, as training's, over no more workers
 * than there are blocks, so that no thread is started for nothing; each
 * row comes out the same whichever part computes it. */
int cli_workers_run(cli_workers *w, size_t rows, cli_work_fn fn, void *user, vae_err *e)
{
	struct part parts[CLI_MAX_WORKERS];
	pthread_t tid[CLI_MAX_WORKERS];
	int started[CLI_MAX_WORKERS] = { 0 };
	size_t blocks = (rows + VAE_BLOCK_ROWS - 1) / VAE_BLOCK_ROWS;
	int n = blocks < (size_t)w->n ? (int)blocks : w->n;

	for (int i = 0; i < n; i++) {
		parts[i] = (struct part){ .fn = fn, .user = user, .ctx = w->ctx[i] };
		vae_block_share(rows, i, n, &parts[i].r0, &parts[i].r1);
	}
	for (int i = 1; i < n; i++)             /* the caller's thread takes part 0 */
		if (!(started[i] = !pthread_create(&tid[i], NULL, run_part, &parts[i])))
			run_part(&parts[i]);    /* no thread to be had: do it here */
	if (n > 0)
		run_part(&parts[0]);
	for (int i = 0; i < n; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
	for (int i = 0; i < n; i++)
		if (parts[i].rc) {
			*e = parts[i].e;
			return parts[i].rc;
		}
	return 0;
}

/* ======================================================================
 * Progress on a terminal
 * ==================================================================== */

/* A filter's progress goes to stderr when that is a terminal (never in a
 * pipe, nor with -q), and only once a run has taken PROGRESS_AFTER
 * seconds: a short run says nothing. */
#define PROGRESS_AFTER 2.0
#define PROGRESS_EVERY 0.25

struct progress {
	int on;
	double t0, shown;
	uint64_t rows, bytes;   /* read so far */
	uint64_t done;          /* bytes of the inputs finished */
	uint64_t total;         /* the inputs' sizes; 0 when one is not a file */
	int said;               /* a line is on the terminal */
};

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The inputs' bytes, when every one is a regular file (stdin may be). */
static uint64_t inputs_size(const struct cli *c)
{
	uint64_t total = 0;

	for (int i = 0; i < c->n_inputs; i++) {
		struct stat st;
		int ok = strcmp(c->inputs[i], "-") ? !stat(c->inputs[i], &st) : !fstat(STDIN_FILENO, &st);
		if (!ok || !S_ISREG(st.st_mode))
			return 0;
		total += (uint64_t)st.st_size;
	}
	return total;
}

static void progress_start(const struct cli *c, struct progress *p)
{
	memset(p, 0, sizeof *p);
	p->on = !c->quiet && isatty(STDERR_FILENO);
	p->t0 = p->shown = seconds();
	p->total = p->on ? inputs_size(c) : 0;
}

static void progress_draw(const struct cli *c, struct progress *p, double now)
{
	double t = now - p->t0;

	p->shown = now;
	if (!p->said)
		cli_signal_newline(1);  /* SIGINT ends the line first */
	p->said = 1;
	fprintf(stderr, "\r%s: %llu rows, %.0f rows/s, %.1f MB/s", c->prog,
	        (unsigned long long)p->rows, (double)p->rows / t, (double)p->bytes / t / 1e6);
	if (p->total)
		fprintf(stderr, ", %.0f%%", 100.0 * (double)(p->bytes < p->total ? p->bytes : p->total)
		                                / (double)p->total);
	fputs("\033[K", stderr);
}

/* rows more, the current input's bytes read so far at; redrawn in place. */
static void progress_tick(const struct cli *c, struct progress *p, size_t rows, uint64_t at)
{
	double now = seconds();

	p->rows += rows;
	p->bytes = p->done + at;
	if (p->on && now - p->t0 >= PROGRESS_AFTER && now - p->shown >= PROGRESS_EVERY)
		progress_draw(c, p, now);
}

/* The last figures stay on their line, and a message after them starts
 * a line of its own; the next figures, if any, begin another. */
static void progress_end(const struct cli *c, struct progress *p)
{
	if (!p->said)
		return;
	p->bytes = p->done;
	progress_draw(c, p, seconds());
	fputc('\n', stderr);
	cli_signal_newline(0);
	p->said = 0;
}

/* ======================================================================
 * The filter loop of vae-enc, vae-dec and vae-score
 * ==================================================================== */

/* Fill e with code and msg; @return code. */
static int fail_msg(vae_err *e, int code, const char *msg)
{
	memset(e, 0, sizeof *e);
	e->code = code;
	snprintf(e->msg, sizeof e->msg, "%s", msg);
	return code;
}

/* Reading ahead: a thread parses the next chunk while this one is computed
 * and written, so parsing (a third of a 784-column run) overlaps the
 * products.  Chunks alternate between two buffers. */
struct ahead {
	vae_reader *r;
	size_t max;
	vae_mat *x;             /* [2] */
	vae_text *keep;         /* [2] */
	vae_err e[2];
	long n[2];
	uint64_t at[2];         /* the input's bytes read after chunk i */
	int full[2];            /* buffer i holds a chunk not yet consumed */
	int stop;               /* the consumer has stopped */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

/* The reading thread: fills the buffers in turn until the input ends, fails
 * or the consumer stops, so a chunk is never read that will not be used. */
static void *read_ahead(void *arg)
{
	struct ahead *a = arg;
	long n = 1;

	for (int i = 0; n > 0; i ^= 1) {
		int stop;
		pthread_mutex_lock(&a->lock);
		while (a->full[i] && !a->stop)
			pthread_cond_wait(&a->cond, &a->lock);
		stop = a->stop;
		pthread_mutex_unlock(&a->lock);
		if (stop)
			break;
		n = vae_reader_read(a->r, &a->x[i], &a->keep[i], a->max, &a->e[i]);
		pthread_mutex_lock(&a->lock);
		a->n[i] = n;
		a->at[i] = vae_reader_bytes(a->r);
		a->full[i] = 1;
		pthread_cond_broadcast(&a->cond);
		pthread_mutex_unlock(&a->lock);
	}
	return NULL;
}

/* An input's label column: its place among the kept fields (-1: none),
 * whether it is hidden (-k did not keep it), the rows' labels. */
struct label {
	long at;
	int hide;
	float y[CLI_CHUNK];
};

/* The rows' columns chosen as f->select, or as vae_reader_select, does. */
static int select_columns(struct cli *c, const struct cli_filter *f, vae_reader *r, vae_err *e)
{
	return f->select ? f->select(f->user, c, r, e)
	                 : vae_reader_select(r, c->fields, c->keep, f->names, f->n_in, e);
}

/* Does the list (-k's) name col, as one of its items? */
static int lists(const char *list, const char *col)
{
	size_t n = strlen(col);

	for (const char *p = list; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ','))
		if (strcspn(p, ",") == n && !strncmp(p, col, n))
			return 1;
	return 0;
}

/* The columns of r, and with f->labelled the label column, if r has one:
 * kept beside the rows, by -k's list with it added unless -k names it. */
static int select_label(struct cli *c, const struct cli_filter *f, vae_reader *r,
                        struct label *l, vae_err *e)
{
	const char *col = f->label, *name = NULL, *user = c->keep;
	char *keep = NULL;
	int rc;

	l->at = -1;
	l->hide = 0;
	if (!col)
		vae_model_classes(f->labelled, NULL, &name);
	for (size_t i = 0; name && !col && i < vae_reader_n_fields(r); i++)
		if (vae_reader_name(r, i) && !strcmp(vae_reader_name(r, i), name))
			col = name;
	if (!col)
		return select_columns(c, f, r, e);
	if ((rc = cli_label_column(r, col, e)))
		return rc;
	if (f->select && !(rc = select_columns(c, f, r, e))
	    && (l->at = cli_label_place(r, col)) >= 0)
		return 0;               /* the program's own choice keeps it (vae-dec) */
	l->hide = !lists(c->keep, col);
	if (l->hide && !(keep = cli_keep_label(c->keep, col)))
		return fail_msg(e, VAE_ENOMEM, "out of memory");
	c->keep = keep ? keep : c->keep;
	rc = select_columns(c, f, r, e);
	c->keep = user;
	free(keep);
	l->at = rc ? -1 : cli_label_place(r, col);
	return rc;
}

/* A chunk through f->chunk, with its labels in c->labels when r has a
 * label column; a bad label ends it after the rows before it, which are
 * written, as a bad row ends the reading.  line: its first row's.
 * @return 0 or a code. */
static int label_chunk(const struct cli_filter *f, vae_reader *r,
                       struct label *l, vae_mat *x, vae_text *keep, unsigned long line,
                       vae_writer *w, vae_err *e)
{
	vae_err bad;
	size_t good = x->rows;
	int rc = 0;

	if (l->at >= 0)
		rc = cli_label_read(f->labelled, keep, (size_t)l->at, l->hide, l->y, vae_reader_path(r),
		                    line, vae_reader_keep_field(r, (size_t)l->at), &good, &bad);
	vae_mat part = { good, x->cols, x->x };
	keep->rows = good < keep->rows ? good : keep->rows;
	int out = good ? f->chunk(f->user, r, &part, keep, w, e) : 0;
	if (!out && rc)
		*e = bad;
	return out ? out : rc;
}

/* Every chunk of r through f->chunk, read one ahead, with its labels in
 * c->labels when r has a label column; @return 0 or a code. */
static int filter_chunks(struct cli *c, const struct cli_filter *f, vae_reader *r, vae_writer *w,
                         vae_mat *x, vae_text *keep, struct label *l, struct progress *p,
                         vae_err *e)
{
	struct ahead a = { .r = r, .max = c->unbuffered ? 1 : CLI_CHUNK, .x = x, .keep = keep };
	pthread_t t;
	long n = 1;
	int rc = 0;
	unsigned long line = 1 + (vae_reader_name(r, 0) != NULL);

	pthread_mutex_init(&a.lock, NULL);
	pthread_cond_init(&a.cond, NULL);
	if (pthread_create(&t, NULL, read_ahead, &a))
		return fail_msg(e, VAE_EINTERNAL, "cannot start a thread");
	for (int i = 0; n > 0 && !rc; i ^= 1) {
		pthread_mutex_lock(&a.lock);
		while (!a.full[i])
			pthread_cond_wait(&a.cond, &a.lock);
		pthread_mutex_unlock(&a.lock);
		n = a.n[i];
		c->labels = l->at >= 0 ? l->y : NULL;
		rc = x[i].rows ? label_chunk(f, r, l, &x[i], &keep[i], line, w, e) : 0;
		line += x[i].rows;
		if (!rc && n < 0)
			*e = a.e[i];
		progress_tick(c, p, x[i].rows, a.at[i]);
		pthread_mutex_lock(&a.lock);
		a.full[i] = 0;
		a.stop = rc != 0;
		pthread_cond_broadcast(&a.cond);
		pthread_mutex_unlock(&a.lock);
	}
	if (rc)
		pthread_cancel(t);      /* it may wait in read(2) on a pipe */
	pthread_join(t, NULL);
	pthread_cond_destroy(&a.cond);
	pthread_mutex_destroy(&a.lock);
	return rc ? rc : n < 0 ? (int)n : 0;
}

/* One opened input: its columns chosen by the model's names, and the
 * writer made at the first input with rows, as only then is the input's
 * format (the default output format) known.  @return 0 or a VAE_E* code. */
static int filter_input(struct cli *c, const struct cli_filter *f, vae_reader *r,
                        vae_writer **w, vae_mat *x, vae_text *keep, struct progress *p, vae_err *e)
{
	static struct label l;
	int rc;

	l.at = -1;
	rc = f->labelled ? select_label(c, f, r, &l, e) : select_columns(c, f, r, e);
	cli_hide_kept(l.hide ? l.at : -1);
	if (!rc && f->model)
		rc = vae_reader_use_model(r, f->model, e);
	if (rc)
		return rc;
	cli_report_unnamed(c, r);
	if (f->prepare)
		f->prepare(f->user, r);
	if (vae_reader_n_fields(r) == 0)
		return 0;                       /* empty input */
	if (!*w) {
		vae_write_opts o = cli_write_opts(c, vae_reader_format(r), f->out_model);
		o.width = f->out_width;
		if (!(*w = vae_writer_new(c->out, &o, e))) {
			c->out_failed = 1;      /* reported once: no other input makes one */
			return e->code;
		}
		if (vae_reader_name(r, 0) && cli_text_format(&o) && (rc = f->header(f->user, r, *w, e)))
			return rc;
	}
	return filter_chunks(c, f, r, *w, x, keep, &l, p, e);
}

int cli_filter_run(struct cli *c, const struct cli_filter *f)
{
	vae_writer *w = NULL;
	vae_mat x[2];
	vae_text keep[2] = { { 0 }, { 0 } };
	vae_err e = { 0 };
	struct progress p;

	if (vae_mat_alloc(&x[0], CLI_CHUNK, f->n_in, &e) || vae_mat_alloc(&x[1], CLI_CHUNK, f->n_in, &e))
		cli_die(c, &e);
	if (c->missing < 0 && f->model && vae_model_masked(f->model))
		c->missing = VAE_MISSING_MASK;
	if (c->missing == VAE_MISSING_MASK && f->model && !vae_model_is_table(f->model))
		cli_usage(c, "--missing mask: %s has real columns only and was trained without "
		          "masks: fit it with --missing mask", c->model);
	progress_start(c, &p);
	for (int i = 0; i < c->n_inputs; i++) {
		vae_read_opts o = cli_read_opts(c);
		vae_reader *r = vae_reader_open(c->inputs[i], &o, &e);
		int rc = r ? filter_input(c, f, r, &w, x, keep, &p, &e) : e.code;
		p.done += r ? vae_reader_bytes(r) : 0;
		if (rc || (r && vae_reader_skipped(r)))
			progress_end(c, &p);
		if (r)
			cli_report_skipped(c, r);
		if (rc)
			cli_report(c, &e);
		vae_reader_close(r);
		if (c->out_failed)
			break;                      /* nowhere to write the rest */
	}
	progress_end(c, &p);
	vae_write_opts o = cli_write_opts(c, VAE_FMT_CSV, f->out_model);
	o.width = f->out_width;
	if (!w && !c->out_failed && (f->finish || !cli_text_format(&o))
	    && !(w = vae_writer_new(c->out, &o, &e)))   /* no input: a summary, or an empty array */
		cli_report(c, &e);
	if (w && f->finish && !c->out_failed && f->finish(f->user, w, &e))
		cli_report(c, &e);
	if (w && c->status != EXIT_OK && c->status != EXIT_NONE)
		vae_writer_discard(w);          /* failed: a binary output must not look complete */
	else if (w && vae_writer_free(w, &e))
		cli_report(c, &e);
	vae_mat_release(&x[0]);
	vae_mat_release(&x[1]);
	vae_text_release(&keep[0]);
	vae_text_release(&keep[1]);
	return cli_close_output(c);
}
