/* epoch.c: one training epoch of Fashion-MNIST against the time of its
 * matrix products alone.  The products are the ones vae_fit makes, through
 * the same seam (vi_gemm), so their time is the ceiling the epoch is
 * measured against.  They are timed two ways, and the faster counts:
 * each batch's products split by OpenBLAS's threads, and each thread of
 * vae_fit's team making its share of the batch's products single-threaded
 * (as vae_fit does), without the waits between them that a step has.
 *
 * Usage: epoch [-j THREADS] [-e EPOCHS] [-H HIDDEN] [-n ROWS] [-c TYPE] [-r] IDX-IMAGES
 *        epoch -C
 *        epoch [-j THREADS] [-c TYPE] -P
 *   -H  hidden size of the 784-H-20 VAE [400]
 *   -n  rows per epoch: the first ROWS of the file, or the file repeated
 *       until there are ROWS [all the file's rows]
 *   -e  epochs of each (the products alone, then vae_fit); the fastest of
 *       each is reported, which a busy machine disturbs least [1]
 *   -c  the products' number format, f32 or bf16 (vae_set_compute): the
 *       products alone and the epoch are then both bf16's [f32]
 *   -r  print one line for scripts instead of the table:
 *       threads rows hidden gflop sgemm_s epoch_s adam_s conv_s data_s
 *       (seconds per epoch; sgemm_s the faster of the two ways; adam_s
 *       the Adam updates and the weights' average alone, on the team as
 *       vae_fit makes them; conv_s, with -c bf16, the conversions to bf16
 *       alone (the products' inputs, and the copy of the weights after
 *       each update), else 0;
 *       data_s the batches' rows copied in a shuffled order alone)
 *   -C  print the name of the kernels OpenBLAS chose (its core type), and
 *       exit
 *   -P  print the CPU's peak of single-precision multiply-adds in GFLOP/s
 *       over THREADS threads (independent FMAs in registers, on the widest
 *       vectors the CPU has), and exit: a ceiling no product can pass;
 *       with -c bf16, of bf16 dot products (vdpbf16ps)
 * With -c bf16 where the products cannot run in bf16, it exits 69. */
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

/* The conversions to bf16 that one step's products make (lib/bf16.c
 * converts op(A) and op(B) whole for each, but the weights, which it reads
 * from the model's bf16 copy), into buf. */
static void step_conversions(const vi_mlp *m, const float *x, size_t rows, const vi_trace *t,
                             int need_dx, uint16_t *buf)
{
	for (size_t l = 0; l < m->n; l++) {
		const vi_dense *d = &m->layer[l];
		vi_to_bf16(l ? t->post[l - 1] : x, buf, rows * d->in);
	}
	for (size_t l = m->n; l-- > 0;) {
		const vi_dense *d = &m->layer[l];
		vi_to_bf16(t->pre[l], buf, rows * d->out);
		vi_to_bf16(l ? t->post[l - 1] : x, buf, rows * d->in);
		if (l > 0 || need_dx)
			vi_to_bf16(t->pre[l], buf, rows * d->out);
	}
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

/* vdpbf16ps: per lane, two bf16 products added to an f32 accumulator */
__attribute__((target("avx512f,avx512bf16"), noinline)) static float dp_bf16(long n, float b)
{
	__m512 a[PEAK_CHAINS];
	__m512bh vb = _mm512_cvtne2ps_pbh(_mm512_set1_ps(b), _mm512_set1_ps(b));
	float s = 0;

	for (int i = 0; i < PEAK_CHAINS; i++)
		a[i] = _mm512_set1_ps((float)i * b);
	for (long k = 0; k < n; k++)
		for (int i = 0; i < PEAK_CHAINS; i++)
			a[i] = _mm512_dpbf16_ps(a[i], vb, vb);
	for (int i = 0; i < PEAK_CHAINS; i++)
		s += _mm512_reduce_add_ps(a[i]);
	return s;
}

static int peak_bf16;           /* -P -c bf16 */

/* flops of one thread's run, 0 when the CPU has neither */
static double fma_run(volatile float *sink)
{
	if (peak_bf16) {
		if (!__builtin_cpu_supports("avx512bf16"))
			return 0;
		*sink = dp_bf16(PEAK_ITERS, *sink);
		return 2.0 * 32 * PEAK_CHAINS * PEAK_ITERS;
	}
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

/* One member's share of every step's products, on its own buffers; or
 * its conversions alone, its share of the Adam updates alone, or its rows
 * gathered alone. */
enum { REPLAY_PRODUCTS, REPLAY_CONVERSIONS, REPLAY_ADAM, REPLAY_DATA };
struct replay {
	vae_model *m;
	const vae_mat *x;       /* the rows, for REPLAY_DATA */
	vi_team *team;
	size_t steps;
	int what;
	vae_ctx *ctx[MAX_THREADS];
	float *g[MAX_THREADS];
	float *avg;             /* the weights' average, as vae_fit keeps it */
	uint16_t *buf[MAX_THREADS];
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

	vae_ctx *c = r->ctx[i];
	size_t np = r->m->n_params;

	r->flops[i] = 0;
	for (size_t s = 0; s < r->steps; s++)
		if (r->what == REPLAY_PRODUCTS) {
			r->flops[i] += model_products(r->m, c, r->g[i], rows);
		} else if (r->what == REPLAY_CONVERSIONS) {
			step_conversions(&r->m->enc, c->x, rows, &c->et, 0, r->buf[i]);
			step_conversions(&r->m->dec, c->z, rows, &c->dt, 1, r->buf[i]);
			/* and the member's share of the weights' copy after Adam */
			size_t lo = np * (size_t)i / (size_t)n, hi = np * (size_t)(i + 1) / (size_t)n;
			vi_to_bf16(r->m->params + lo, r->buf[i], hi - lo);
		} else if (r->what == REPLAY_DATA) {   /* rows in a shuffled order */
			size_t cols = r->x->cols, r0 = BATCH / (size_t)n * (size_t)i;
			for (size_t j = 0; j < rows; j++) {
				size_t row = ((s * BATCH + r0 + j) * 2654435761u) % r->x->rows;
				memcpy(c->x + j * cols, r->x->x + row * cols, cols * sizeof *c->x);
			}
		} else {                /* the members' two gradients, as update_job */
			vi_adam_update(r->m, r->g[0], n > 1 ? r->g[1] : NULL, 1, 1e-3f, r->avg, 0.99f,
			               np * (size_t)i / (size_t)n, np * (size_t)(i + 1) / (size_t)n);
			vi_team_sync(r->team);
		}
}

/* The fastest of epochs replays of one kind, in seconds. */
static double replay_best(struct replay *r, int what, uint32_t epochs)
{
	double best = 0;

	r->what = what;
	for (uint32_t k = 0; k < epochs; k++) {
		double t0 = now();
		vi_team_run(r->team, replay_job, r);
		double t = now() - t0;
		if (k == 0 || t < best)
			best = t;
	}
	return best;
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

/* The value vae_names gives the name word, or -1. */
static int name_of(enum vae_name_kind kind, const char *word)
{
	size_t n;
	const char *const *names = vae_names(kind, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], word))
			return (int)i;
	return -1;
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

	int compute = VAE_COMPUTE_F32;

	while ((opt = getopt(argc, argv, "j:e:H:n:c:rCP")) != -1)
		switch (opt) {
		case 'j': threads = atoi(optarg); break;
		case 'e': fo.epochs = (uint32_t)atoi(optarg); break;
		case 'H': arch.hidden[0] = (size_t)atol(optarg); break;
		case 'n': want = atol(optarg); break;
		case 'r': raw = 1; break;
		case 'C': puts(openblas_get_corename()); return 0;
		case 'P': peak = 1; break;
		case 'c': compute = name_of(VAE_NAMES_COMPUTE, optarg);
			if (compute < 0)
				goto usage;
			break;
		default: goto usage;
		}
	if (vae_set_compute(compute, &e)) {
		fprintf(stderr, "epoch: -c bf16: %s\n", e.msg);
		return 69;
	}
	if (peak) {
		peak_bf16 = compute == VAE_COMPUTE_BF16;
		printf("%.1f\n", fma_peak(threads < MAX_THREADS ? threads : MAX_THREADS));
		return 0;
	}
	if (optind >= argc || fo.epochs < 1 || arch.hidden[0] < 1 || want < 0) {
usage:
		fprintf(stderr, "usage: epoch [-j THREADS] [-e EPOCHS] [-H HIDDEN] [-n ROWS] [-c TYPE] [-r] IDX-IMAGES | -C | [-j THREADS] [-c TYPE] -P\n");
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
	struct replay rp = { .m = m, .x = &x, .team = team, .steps = steps };
	members = vi_team_size(team);
	for (int i = 0; i < members; i++) {
		rp.ctx[i] = vae_ctx_new(m, BATCH, &e);
		rp.g[i] = calloc(m->n_params, sizeof *g);
		/* the widest conversion: a batch's widest layer, or a share of the weights */
		rp.buf[i] = malloc((BATCH * (x.cols + arch.hidden[0] + 2 * arch.n_latent) + m->n_params)
		                   * sizeof(uint16_t));
		memcpy(rp.ctx[i]->x, ctx->x, BATCH * x.cols * sizeof *x.x);
	}
	team_s = replay_best(&rp, REPLAY_PRODUCTS, fo.epochs);
	double conv_s = compute == VAE_COMPUTE_BF16 ? replay_best(&rp, REPLAY_CONVERSIONS, fo.epochs) : 0;
	/* Adam on the replay's gradients, then the model as it was for vae_fit */
	float *params = malloc(m->n_params * sizeof *params);
	memcpy(params, m->params, m->n_params * sizeof *params);
	rp.avg = fo.average ? malloc(m->n_params * sizeof *rp.avg) : NULL;
	if (rp.avg)
		memcpy(rp.avg, params, m->n_params * sizeof *params);
	vi_adam_state(m, &e);
	m->adam_t = 1;
	double adam_s = replay_best(&rp, REPLAY_ADAM, fo.epochs);
	double data_s = replay_best(&rp, REPLAY_DATA, fo.epochs);
	memcpy(m->params, params, m->n_params * sizeof *params);
	free(params);
	free(rp.avg);
	free(m->adam_m);
	free(m->adam_v);
	m->adam_m = m->adam_v = NULL;
	m->adam_t = 0;
	for (int i = 0; i < members; i++) {
		vae_ctx_free(rp.ctx[i]);
		free(rp.g[i]);
		free(rp.buf[i]);
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
		printf("%d %zu %zu %.4f %.4f %.4f %.4f %.4f %.4f\n", threads, n, arch.hidden[0],
		       flops / 1e9, gemm_s, epoch_s, adam_s, conv_s, data_s);
	else {
		printf("threads %d  rows %zu  784-%zu-20  products %.1f GFLOP/epoch\n", threads, n,
		       arch.hidden[0], flops / 1e9);
		printf("  sgemm alone   %7.3f s/epoch  %6.1f GFLOP/s  (OpenBLAS's %d threads a batch)\n",
		       blas_s, flops / blas_s / 1e9, threads);
		printf("  sgemm alone   %7.3f s/epoch  %6.1f GFLOP/s  (%d threads a share each)\n",
		       team_s, flops / team_s / 1e9, members);
		printf("  Adam alone    %7.3f s/epoch  (%d threads a share each)\n", adam_s, members);
		printf("  rows alone    %7.3f s/epoch  (the batches gathered in a shuffled order)\n",
		       data_s);
		if (compute == VAE_COMPUTE_BF16)
			printf("  to bf16 alone %7.3f s/epoch  (the products' conversions, in the sgemm time)\n",
			       conv_s);
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
