/* epoch.c: one training epoch of Fashion-MNIST against the time of its
 * matrix products alone.  The products are the ones vae_fit makes, through
 * the same seam (vi_gemm), so their time is the ceiling the epoch is
 * measured against.  They are timed two ways, and the faster counts:
 * each batch's products split by OpenBLAS's threads, and each thread of
 * vae_fit's team making its share of the batch's products single-threaded
 * (as vae_fit does), without the waits between them that a step has.
 *
 * Usage: epoch [-j THREADS] [-e EPOCHS] [-H HIDDEN] [-n ROWS] [-r] IDX-IMAGES
 *        epoch -C
 *        epoch [-j THREADS] -P
 *   -H  hidden size of the 784-H-20 VAE [400]
 *   -n  rows per epoch: the first ROWS of the file, or the file repeated
 *       until there are ROWS [all the file's rows]
 *   -e  epochs of each (the products alone, then vae_fit); the fastest of
 *       each is reported, which a busy machine disturbs least [1]
 *   -r  print one line for scripts instead of the table:
 *       threads rows hidden gflop sgemm_s epoch_s (seconds per epoch;
 *       sgemm_s the faster of the two ways)
 *   -C  print the name of the kernels OpenBLAS chose (its core type), and
 *       exit
 *   -P  print the CPU's peak of single-precision multiply-adds in GFLOP/s
 *       over THREADS threads (independent FMAs in registers, on the widest
 *       vectors the CPU has), and exit: a ceiling no product can pass */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>

#include "internal.h"

#define BATCH 128
#define MAX_THREADS 64

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The products of one step through an mlp, forward and backward, as
 * vi_mlp_forward and vi_mlp_backward make them; @return the flops. */
/* The products of one step through an mlp, forward and backward, exactly
 * as vi_mlp_forward and vi_mlp_backward make them: on the model's
 * weights, a context's activation buffers and a gradient array, so their
 * operands are as large and as far apart in memory as in training.  Only
 * the element-wise work between them is left out.  @return the flops. */
static double step_products(const vi_mlp *m, const float *p, float *g, const float *x,
                            size_t rows, vi_trace *t, int need_dx, float *dx)
{
	double flops = 0;
	float *buf[2] = { t->d0, t->d1 };
	const float *dy;

	for (size_t l = 0; l < m->n; l++) {
		const vi_dense *d = &m->layer[l];
		vi_gemm(0, 1, rows, d->out, d->in, 1.0f, l ? t->post[l - 1] : x, p + d->w, 1.0f,
		         t->pre[l]);                                                  /* Y += X W^T */
		flops += 2.0 * (double)rows * (double)d->out * (double)d->in;
	}
	dy = t->pre[m->n - 1];
	for (size_t l = m->n; l-- > 0;) {
		const vi_dense *d = &m->layer[l];
		vi_gemm(1, 0, d->out, d->in, rows, 1.0f, dy, l ? t->post[l - 1] : x, 0.0f,
		         g + d->w);                                                   /* dW = dY^T X */
		flops += 2.0 * (double)rows * (double)d->out * (double)d->in;
		if (l > 0 || need_dx) {
			float *din = l ? buf[l & 1] : dx;
			vi_gemm(0, 0, rows, d->in, d->out, 1.0f, dy, p + d->w, 0.0f, din);  /* dX = dY W */
			flops += 2.0 * (double)rows * (double)d->out * (double)d->in;
			dy = din;
		}
	}
	return flops;
}

/* ---- the FMA peak ---- */

#define PEAK_ITERS 50000000L
#define PEAK_CHAINS 12          /* independent accumulators: more than latency x ports */

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

__attribute__((target("avx512f"), noinline)) static float fma_avx512(long n, float b)
{
	__m512 a[PEAK_CHAINS], vb = _mm512_set1_ps(b), vc = _mm512_set1_ps(1e-7f);
	float s = 0;

	for (int i = 0; i < PEAK_CHAINS; i++)
		a[i] = _mm512_set1_ps((float)i * b);
	for (long k = 0; k < n; k++)
		for (int i = 0; i < PEAK_CHAINS; i++)
			a[i] = _mm512_fmadd_ps(a[i], vb, vc);
	for (int i = 0; i < PEAK_CHAINS; i++)
		s += _mm512_reduce_add_ps(a[i]);
	return s;
}

__attribute__((target("avx2,fma"), noinline)) static float fma_avx2(long n, float b)
{
	__m256 a[PEAK_CHAINS], vb = _mm256_set1_ps(b), vc = _mm256_set1_ps(1e-7f);
	float s = 0, lane[8];

	for (int i = 0; i < PEAK_CHAINS; i++)
		a[i] = _mm256_set1_ps((float)i * b);
	for (long k = 0; k < n; k++)
		for (int i = 0; i < PEAK_CHAINS; i++)
			a[i] = _mm256_fmadd_ps(a[i], vb, vc);
	for (int i = 0; i < PEAK_CHAINS; i++) {
		_mm256_storeu_ps(lane, a[i]);
		s += lane[0];
	}
	return s;
}

/* flops of one thread's run, 0 when the CPU has neither */
static double fma_run(volatile float *sink)
{
	if (__builtin_cpu_supports("avx512f")) {
		*sink = fma_avx512(PEAK_ITERS, *sink);
		return 2.0 * 16 * PEAK_CHAINS * PEAK_ITERS;
	}
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
		*sink = fma_avx2(PEAK_ITERS, *sink);
		return 2.0 * 8 * PEAK_CHAINS * PEAK_ITERS;
	}
	return 0;
}
#else
static double fma_run(volatile float *sink)
{
	(void)sink;
	return 0;
}
#endif

static void peak_job(void *ctx, int i, int n)
{
	double *flops = ctx;
	volatile float sink = 0.9999999f;

	(void)n;
	flops[i] = fma_run(&sink);
}

/* The best of three runs on every member of a team of threads. */
static double fma_peak(int threads)
{
	vi_team *team = vi_team_new(threads);
	double flops[MAX_THREADS], best = 0;

	for (int k = 0; k < 3; k++) {
		double t0 = now(), sum = 0;
		vi_team_run(team, peak_job, flops);
		double t = now() - t0;
		for (int i = 0; i < vi_team_size(team); i++)
			sum += flops[i];
		best = sum / t > best ? sum / t : best;
	}
	vi_team_free(team);
	return best / 1e9;
}

/* One member's share of every step's products, on its own buffers. */
struct replay {
	const vae_model *m;
	size_t steps;
	vae_ctx *ctx[MAX_THREADS];
	float *g[MAX_THREADS];
	double flops[MAX_THREADS];
};

static double model_products(const vae_model *m, vae_ctx *c, float *g, size_t rows)
{
	return step_products(&m->enc, m->params, g, c->x, rows, &c->et, 0, NULL)
	     + step_products(&m->dec, m->params, g, c->z, rows, &c->dt, 1, c->dz);
}

static void replay_job(void *ctx, int i, int n)
{
	struct replay *r = ctx;
	size_t rows = BATCH / (size_t)n + ((size_t)i < BATCH % (size_t)n);

	r->flops[i] = 0;
	for (size_t s = 0; s < r->steps; s++)
		r->flops[i] += model_products(r->m, r->ctx[i], r->g[i], rows);
}

/* The fastest epoch and the sum of all. */
struct times {
	double best, sum;
};

static int on_epoch(const vae_epoch *ep, void *user)
{
	struct times *t = user;

	if (ep->done) {
		if (t->sum == 0 || ep->seconds < t->best)
			t->best = ep->seconds;
		t->sum += ep->seconds;
	}
	return 0;
}

/* Every row of path, as vae-fit reads them. */
static int read_all(const char *path, vae_mat *x, vae_err *e)
{
	vae_read_opts ro = vae_read_defaults();
	vae_reader *r = vae_reader_open(path, &ro, e);
	vae_mat chunk = { 0 };
	size_t cap = 0;
	long got;

	if (!r || vae_reader_select(r, NULL, NULL, NULL, 0, e)
	    || vae_mat_alloc(&chunk, 4096, vae_reader_n_fields(r), e))
		return -1;
	x->rows = 0;
	x->cols = chunk.cols;
	while ((got = vae_reader_read(r, &chunk, NULL, 4096, e)) > 0) {
		if (x->rows + (size_t)got > cap) {
			cap = cap ? 2 * cap : 65536;
			float *p = realloc(x->x, cap * x->cols * sizeof *p);
			if (!p)
				return -1;
			x->x = p;
		}
		memcpy(x->x + x->rows * x->cols, chunk.x, (size_t)got * x->cols * sizeof *x->x);
		x->rows += (size_t)got;
	}
	vae_mat_release(&chunk);
	vae_reader_close(r);
	return got < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	vae_arch arch = { 784, 20, 1, { 400 }, VAE_RELU, VAE_BERNOULLI, 0, 0, 0, 0, 0 };
	vae_fit_opts fo = vae_fit_defaults();
	vae_err e = { 0 };
	vae_mat x = { 0 };
	int threads = (int)sysconf(_SC_NPROCESSORS_ONLN), raw = 0, opt;
	long want = 0;
	struct times ep = { 0, 0 };

	fo.epochs = 1;
	int peak = 0;

	while ((opt = getopt(argc, argv, "j:e:H:n:rCP")) != -1)
		switch (opt) {
		case 'j': threads = atoi(optarg); break;
		case 'e': fo.epochs = (uint32_t)atoi(optarg); break;
		case 'H': arch.hidden[0] = (size_t)atol(optarg); break;
		case 'n': want = atol(optarg); break;
		case 'r': raw = 1; break;
		case 'C': puts(openblas_get_corename()); return 0;
		case 'P': peak = 1; break;
		default: goto usage;
		}
	if (peak) {
		printf("%.1f\n", fma_peak(threads < MAX_THREADS ? threads : MAX_THREADS));
		return 0;
	}
	if (optind >= argc || fo.epochs < 1 || arch.hidden[0] < 1 || want < 0) {
usage:
		fprintf(stderr, "usage: epoch [-j THREADS] [-e EPOCHS] [-H HIDDEN] [-n ROWS] [-r] IDX-IMAGES | -C | [-j THREADS] -P\n");
		return 64;
	}
	vae_set_threads(threads);

	/* the data, as vae-fit reads and scales it, cut or repeated to -n rows */
	if (read_all(argv[optind], &x, &e) || x.rows == 0) {
		fprintf(stderr, "epoch: %s: %s\n", argv[optind], e.msg[0] ? e.msg : "no rows");
		return 66;
	}
	arch.n_in = x.cols;
	if (want > 0 && (size_t)want != x.rows) {
		vae_mat y = { 0 };
		if (vae_mat_alloc(&y, (size_t)want, x.cols, &e)) {
			fprintf(stderr, "epoch: %s\n", e.msg);
			return 70;
		}
		for (size_t i = 0; i < y.rows; i += x.rows) {
			size_t k = y.rows - i < x.rows ? y.rows - i : x.rows;
			memcpy(y.x + i * x.cols, x.x, k * x.cols * sizeof *x.x);
		}
		free(x.x);
		x = y;
	}
	size_t n = x.rows;
	vae_model *m = vae_model_new(&arch, 1, &e);
	if (!m) {
		fprintf(stderr, "epoch: %s\n", e.msg);
		return 64;
	}
	vae_model_fit_scale(m, &x, VAE_SCALE_MINMAX, 1, &e);
	vae_model_scale(m, &x);

	/* the products alone: the same calls on the same operands as training,
	 * first a whole batch at a time with OpenBLAS's threads */
	vae_ctx *ctx = vae_ctx_new(m, BATCH, &e);
	float *g = calloc(m->n_params, sizeof *g);
	size_t steps = (n + BATCH - 1) / BATCH;
	double flops = 0, blas_s = 0, team_s = 0, t0;
	memcpy(ctx->x, x.x, BATCH * x.cols * sizeof *x.x);         /* a real batch */
	for (uint32_t k = 0; k < fo.epochs; k++) {
		flops = 0;
		t0 = now();
		for (size_t s = 0; s < steps; s++)
			flops += model_products(m, ctx, g, BATCH);
		double t = now() - t0;
		if (k == 0 || t < blas_s)
			blas_s = t;
	}
	/* then a share of each batch per thread of a team, as vae_fit splits it */
	int members = threads > 0 ? threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	vae_set_threads(1);            /* and so for vae_fit's team below */
	vi_team *team = vi_team_new(members < MAX_THREADS ? members : MAX_THREADS);
	struct replay rp = { m, steps, { 0 }, { 0 }, { 0 } };
	members = vi_team_size(team);
	for (int i = 0; i < members; i++) {
		rp.ctx[i] = vae_ctx_new(m, BATCH, &e);
		rp.g[i] = calloc(m->n_params, sizeof *g);
		memcpy(rp.ctx[i]->x, ctx->x, BATCH * x.cols * sizeof *x.x);
	}
	for (uint32_t k = 0; k < fo.epochs; k++) {
		t0 = now();
		vi_team_run(team, replay_job, &rp);
		double t = now() - t0;
		if (k == 0 || t < team_s)
			team_s = t;
	}
	for (int i = 0; i < members; i++) {
		vae_ctx_free(rp.ctx[i]);
		free(rp.g[i]);
	}
	vi_team_free(team);
	double gemm_s = blas_s < team_s ? blas_s : team_s;

	/* real epochs */
	fo.threads = (unsigned)threads;
	fo.progress = on_epoch;
	fo.user = &ep;
	t0 = now();
	if (vae_fit(m, &x, &fo, &e)) {
		fprintf(stderr, "epoch: %s\n", e.msg);
		return 70;
	}
	double total = now() - t0, epoch_s = ep.best;
	if (raw)
		printf("%d %zu %zu %.4f %.4f %.4f\n", threads, n, arch.hidden[0], flops / 1e9,
		       gemm_s, epoch_s);
	else {
		printf("threads %d  rows %zu  784-%zu-20  products %.1f GFLOP/epoch\n", threads, n,
		       arch.hidden[0], flops / 1e9);
		printf("  sgemm alone   %7.3f s/epoch  %6.1f GFLOP/s  (OpenBLAS's %d threads a batch)\n",
		       blas_s, flops / blas_s / 1e9, threads);
		printf("  sgemm alone   %7.3f s/epoch  %6.1f GFLOP/s  (%d threads a share each)\n",
		       team_s, flops / team_s / 1e9, members);
		printf("  vae_fit epoch %7.3f s/epoch  %6.1f GFLOP/s  ratio %.2f (target <= 1.30)\n",
		       epoch_s, flops / epoch_s / 1e9, epoch_s / gemm_s);
		printf("  (calibration after the last epoch: %.3f s, not in the epoch)\n",
		       total - ep.sum);
	}
	vae_ctx_free(ctx);
	free(g);
	vae_mat_release(&x);
	vae_model_free(m);
	return 0;
}
