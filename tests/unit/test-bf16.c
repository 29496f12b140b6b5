/* test-bf16.c: the bf16 products (vae_set_compute, lib/bf16.c) against
 * products in double: each element within the error its rounded inputs
 * allow, for every transposition, alpha and beta the library uses; exact
 * to f32 accumulation on inputs that bf16 holds exactly; the same bytes
 * from two threads at once as from one, and from a held array's copy as
 * from the array, after a refresh too; and the setting refused in
 * portable mode.  Skipped (77) where bf16 cannot run. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"

static float uniform(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (float)((*s >> 40) / 16777216.0) - 0.5f;
}

/* x rounded to bf16, as the product rounds its inputs */
static double bf16(float x)
{
	uint32_t u;

	memcpy(&u, &x, sizeof u);
	u = (u + 0x7fffu + ((u >> 16) & 1)) & 0xffff0000u;
	memcpy(&x, &u, sizeof x);
	return x;
}

struct product {
	int ta, tb;
	size_t m, n, k;
	float alpha, beta;
};

/* The largest |C - ref| / (|alpha| sum_k |a b| + |beta c|) over C, with
 * ref in double on the inputs as given (round) or rounded to bf16. */
static double worst(const struct product *p, const float *a, const float *b, const float *c0,
                    const float *c, int round)
{
	double w = 0;

	for (size_t i = 0; i < p->m; i++)
		for (size_t j = 0; j < p->n; j++) {
			double ref = 0, mag = 0;
			for (size_t l = 0; l < p->k; l++) {
				float ai = p->ta ? a[l * p->m + i] : a[i * p->k + l];
				float bj = p->tb ? b[j * p->k + l] : b[l * p->n + j];
				double t = round ? bf16(ai) * bf16(bj) : (double)ai * bj;
				ref += t;
				mag += t < 0 ? -t : t;
			}
			double beta_c = p->beta * (double)c0[i * p->n + j];
			ref = p->alpha * ref + beta_c;
			mag = (p->alpha < 0 ? -p->alpha : p->alpha) * mag + (beta_c < 0 ? -beta_c : beta_c);
			double d = c[i * p->n + j] - ref;
			d = d < 0 ? -d : d;
			if (mag > 0 && d / mag > w)
				w = d / mag;
		}
	return w;
}

static const struct product PRODUCTS[] = {
	{ 0, 1, 64, 400, 784, 1, 1 },   /* Y += X W^T */
	{ 1, 0, 400, 784, 64, 1, 0 },   /* dW = dY^T X */
	{ 0, 0, 64, 784, 400, 1, 0 },   /* dX = dY W */
	{ 0, 1, 7, 3, 5, 1, 1 },        /* the tails of every kernel */
	{ 1, 1, 33, 17, 65, -0.5f, 2 }, /* both transposed, alpha and beta */
	{ 0, 0, 1, 1, 1, 2, 0 },
};

static void test_products(void)
{
	for (size_t t = 0; t < sizeof PRODUCTS / sizeof *PRODUCTS; t++) {
		const struct product *p = &PRODUCTS[t];
		size_t na = p->m * p->k, nb = p->k * p->n, nc = p->m * p->n;
		float *a = malloc(na * sizeof *a), *b = malloc(nb * sizeof *b);
		float *c0 = malloc(nc * sizeof *c0), *c = malloc(nc * sizeof *c);
		uint64_t s = 7 + t;

		for (size_t i = 0; i < na; i++)
			a[i] = uniform(&s);
		for (size_t i = 0; i < nb; i++)
			b[i] = uniform(&s);
		for (size_t i = 0; i < nc; i++)
			c0[i] = uniform(&s);
		memcpy(c, c0, nc * sizeof *c);
		vi_gemm(p->ta, p->tb, p->m, p->n, p->k, p->alpha, a, b, p->beta, c);
		/* against its rounded inputs: f32 sums of k terms */
		double e = worst(p, a, b, c0, c, 1);
		CHECK(e < 1e-5, "bf16 %zux%zux%zu ta %d tb %d: %.2g of the magnitude from the "
		      "product of the rounded inputs", p->m, p->n, p->k, p->ta, p->tb, e);
		/* against the exact product: each input within 2^-9 of itself */
		e = worst(p, a, b, c0, c, 0);
		CHECK(e < 8e-3, "bf16 %zux%zux%zu ta %d tb %d: %.2g of the magnitude from the "
		      "exact product", p->m, p->n, p->k, p->ta, p->tb, e);
		free(a);
		free(b);
		free(c0);
		free(c);
	}
}

/* Two threads, each its own product of the same shape, as a team's
 * members make them; each must give the bytes it gives alone. */
struct job {
	const float *a, *b;
	float *c;
};

static void *run_job(void *arg)
{
	struct job *j = arg;

	for (int r = 0; r < 20; r++)
		vi_gemm(0, 1, 64, 400, 784, 1, j->a, j->b, 0, j->c);
	return NULL;
}

static void test_threads(void)
{
	size_t na = 64 * 784, nb = 400 * 784, nc = 64 * 400;
	float *a = malloc(2 * na * sizeof *a), *b = malloc(nb * sizeof *b);
	float *c = malloc(4 * nc * sizeof *c);
	uint64_t s = 3;
	pthread_t tid;

	for (size_t i = 0; i < 2 * na; i++)
		a[i] = uniform(&s);
	for (size_t i = 0; i < nb; i++)
		b[i] = uniform(&s);
	vi_gemm(0, 1, 64, 400, 784, 1, a, b, 0, c);
	vi_gemm(0, 1, 64, 400, 784, 1, a + na, b, 0, c + nc);
	struct job j[2] = { { a, b, c + 2 * nc }, { a + na, b, c + 3 * nc } };
	int started = !pthread_create(&tid, NULL, run_job, &j[1]);
	run_job(&j[0]);
	if (started)
		pthread_join(tid, NULL);
	CHECK(started && !memcmp(c, c + 2 * nc, nc * sizeof *c)
	      && !memcmp(c + nc, c + 3 * nc, nc * sizeof *c),
	      "bf16 products on two threads at once: each as alone");
	free(a);
	free(b);
	free(c);
}

/* Weights within a held array, as a model's: the same bytes as converted
 * per product, before and after they change and are refreshed. */
static void test_held(void)
{
	size_t na = 64 * 784, nw = 10 + 400 * 784, nc = 64 * 400;
	float *a = malloc(na * sizeof *a), *w = malloc(nw * sizeof *w);
	float *c = malloc(2 * nc * sizeof *c), *b = w + 10;
	uint64_t s = 5;
	int same;

	for (size_t i = 0; i < na; i++)
		a[i] = uniform(&s);
	for (size_t i = 0; i < nw; i++)
		w[i] = uniform(&s);
	vi_gemm(0, 1, 64, 400, 784, 1, a, b, 0, c);
	vi_bf16_hold(w, nw);
	vi_gemm(0, 1, 64, 400, 784, 1, a, b, 0, c + nc);
	same = !memcmp(c, c + nc, nc * sizeof *c);
	for (size_t i = 0; i < nw; i++)
		w[i] *= 0.5f;
	vi_bf16_refresh(w, 0, nw);
	vi_gemm(0, 1, 64, 400, 784, 1, a, b, 0, c);
	for (size_t i = 0; i < nc; i++)
		same &= c[i] == 0.5f * c[nc + i];
	vi_bf16_forget(w);
	for (size_t i = 0; i < nw; i++)
		w[i] = 0;
	vi_gemm(0, 1, 64, 400, 784, 1, a, b, 0, c);
	for (size_t i = 0; i < nc; i++)
		same &= c[i] == 0;
	CHECK(same, "bf16 products from a held array's copy: as from the array, refreshed, forgotten");
	free(a);
	free(w);
	free(c);
}

int main(void)
{
	vae_err e = { 0 };

	vae_set_portable(1);
	CHECK(vae_set_compute(VAE_COMPUTE_BF16, &e) == VAE_EPARAM && vae_compute() == VAE_COMPUTE_F32,
	      "bf16 refused in portable mode: %s", e.msg);
	vae_set_portable(0);
	if (vae_set_compute(VAE_COMPUTE_BF16, &e)) {
		printf("bf16 products cannot run here: %s\n", e.msg);
		return check_failed ? 1 : 77;
	}
	CHECK(vae_compute() == VAE_COMPUTE_BF16, "bf16 set");
	test_products();
	test_threads();
	test_held();
	CHECK(vae_set_compute(VAE_COMPUTE_F32, &e) == 0 && vae_compute() == VAE_COMPUTE_F32,
	      "back to f32");
	return check_failed;
}
