/* gemm.c: the one seam between the library and BLAS, and the library's own
 * product, which takes BLAS's place in portable mode; bf16.c's takes it
 * under vae_set_compute(VAE_COMPUTE_BF16). */
#include <cblas.h>
#include <stdlib.h>

#include "internal.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define AVX2_PATH 1
#endif

void vi_gemm(int ta, int tb, size_t m, size_t n, size_t k, float alpha,
              const float *a, const float *b, float beta, float *c)
{
	if (vi_portable) {
		vi_gemm_portable(ta, tb, m, n, k, alpha, a, b, beta, c, VI_GEMM_BEST);
		return;
	}
	/* bf16: an empty product is BLAS's to do, and so is one that oneDNN
	 * refused (it cannot run out of shapes, only of memory) */
	if (vi_compute == VAE_COMPUTE_BF16 && m && n && k
	    && !vi_gemm_bf16(ta, tb, m, n, k, alpha, a, b, beta, c))
		return;
	cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
	            (int)m, (int)n, (int)k, alpha, a, ta ? (int)m : (int)k,
	            b, tb ? (int)k : (int)n, beta, c, (int)n);
}

void vae_set_threads(int n)
{
	if (n > 0)
		openblas_set_num_threads(n);
}

/* ======================================================================
 * The portable product
 *
 * OpenBLAS picks its kernels by CPU, and they block k and fuse (or not)
 * differently, so the last bits of a product depend on the host; some
 * even round a row by its place in a block (tests/blas-rows.c).  Here
 * every element of C is acc = fma(A(i,k), B(k,j), acc) for k = 0, 1, ...
 * from acc = 0, then alpha acc + beta C(i,j) in plain float (the Makefile
 * builds the library with -ffp-contract=off, so that is never fused).  An
 * AVX2 lane runs exactly that chain, so the vector code and the plain C
 * one (fmaf, exact on every IEEE host) give the same bytes, which
 * tests/unit/test-portable.c checks.  C is computed in panels of NR
 * columns, op(B)'s panel packed once (zero-padded) for all the rows, and
 * in tiles of up to MR rows: 12 accumulators of the 16 AVX2 registers.
 * ==================================================================== */

#define NR 16
#define MR 6

/* op(A): element (i, k) at x[i * ri + k * rk] */
typedef struct operand {
	const float *x;
	size_t ri, rk;
} operand;

/* A panel of op(B): element (k, jj) at x[k * bk + jj * bj], jj < w */
typedef struct panel {
	const float *x;
	size_t bk, bj, w;
} panel;

/* An accumulated element into C; beta 0 reads nothing there. */
static void put(float *c, float acc, float alpha, float beta)
{
	*c = beta == 0 ? alpha * acc : alpha * acc + beta * *c;
}

/* Rows [i0, i1) of a panel, in plain C; c points at its first column. */
static void tile_c(const operand *a, const panel *p, size_t i0, size_t i1, size_t kk,
                   float alpha, float beta, float *c, size_t ldc)
{
	for (size_t i = i0; i < i1; i++) {
		float acc[NR] = { 0 };
		for (size_t k = 0; k < kk; k++) {
			float aik = a->x[i * a->ri + k * a->rk];
			const float *bk = p->x + k * p->bk;
			for (size_t jj = 0; jj < p->w; jj++)
				acc[jj] = fmaf(aik, bk[jj * p->bj], acc[jj]);
		}
		for (size_t jj = 0; jj < p->w; jj++)
			put(c + i * ldc + jj, acc[jj], alpha, beta);
	}
}

/* Columns [j0, j0 + w) of op(B) into bp: kk rows of NR, zero beyond w. */
static void pack(const float *b, int tb, size_t n, size_t kk, size_t j0, size_t w, float *bp)
{
	for (size_t k = 0; k < kk; k++)
		for (size_t jj = 0; jj < NR; jj++)
			bp[k * NR + jj] = jj >= w ? 0 : tb ? b[(j0 + jj) * kk + k] : b[k * n + j0 + jj];
}

#ifdef AVX2_PATH
#define AVX2 __attribute__((target("avx2,fma")))

/* mr rows from row i of a packed panel, each lane tile_c's chain. */
AVX2 __attribute__((always_inline)) static inline void
tile_avx2(const operand *a, const float *bp, size_t i, int mr, size_t kk, float alpha,
          float beta, float *c, size_t ldc, size_t w)
{
	__m256 acc[MR][2];
	float t[NR];

	for (int r = 0; r < mr; r++)
		acc[r][0] = acc[r][1] = _mm256_setzero_ps();
	for (size_t k = 0; k < kk; k++) {
		__m256 b0 = _mm256_loadu_ps(bp + k * NR), b1 = _mm256_loadu_ps(bp + k * NR + 8);
		for (int r = 0; r < mr; r++) {
			__m256 ak = _mm256_broadcast_ss(a->x + (i + r) * a->ri + k * a->rk);
			acc[r][0] = _mm256_fmadd_ps(ak, b0, acc[r][0]);
			acc[r][1] = _mm256_fmadd_ps(ak, b1, acc[r][1]);
		}
	}
	for (int r = 0; r < mr; r++) {
		_mm256_storeu_ps(t, acc[r][0]);
		_mm256_storeu_ps(t + 8, acc[r][1]);
		for (size_t jj = 0; jj < w; jj++)
			put(c + (i + r) * ldc + jj, t[jj], alpha, beta);
	}
}

/* All m rows of a packed panel: tiles of MR rows, then of 4, 2 and 1, each
 * an instance of tile_avx2 with its row count known, its accumulators in
 * registers. */
AVX2 static void rows_avx2(const operand *a, const float *bp, size_t m, size_t kk, float alpha,
                           float beta, float *c, size_t ldc, size_t w)
{
	size_t i = 0;

	for (; i + MR <= m; i += MR)
		tile_avx2(a, bp, i, MR, kk, alpha, beta, c, ldc, w);
	for (; i + 4 <= m; i += 4)
		tile_avx2(a, bp, i, 4, kk, alpha, beta, c, ldc, w);
	for (; i + 2 <= m; i += 2)
		tile_avx2(a, bp, i, 2, kk, alpha, beta, c, ldc, w);
	for (; i < m; i++)
		tile_avx2(a, bp, i, 1, kk, alpha, beta, c, ldc, w);
}
#endif

int vi_gemm_has_avx2(void)
{
#ifdef AVX2_PATH
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
	return 0;
#endif
}

/* One panel of NR columns from j0, w of them in C. */
static void panel_product(const operand *a, const float *b, int tb, size_t m, size_t n,
                          size_t kk, size_t j0, size_t w, float alpha, float beta, float *c,
                          float *bp, int avx2)
{
	panel p = tb ? (panel){ b + j0 * kk, 1, kk, w } : (panel){ b + j0, n, 1, w };

	if (bp) {               /* else, out of memory, op(B) read where it is */
		pack(b, tb, n, kk, j0, w, bp);
		p = (panel){ bp, NR, 1, w };
	}
#ifdef AVX2_PATH
	if (bp && avx2) {
		rows_avx2(a, bp, m, kk, alpha, beta, c + j0, n, w);
		return;
	}
#endif
	(void)avx2;
	tile_c(a, &p, 0, m, kk, alpha, beta, c + j0, n);
}

void vi_gemm_portable(int ta, int tb, size_t m, size_t n, size_t k, float alpha,
                       const float *a, const float *b, float beta, float *c, int path)
{
	operand op = { a, ta ? 1 : k, ta ? m : 1 };
	int avx2 = path == VI_GEMM_AVX2 || (path == VI_GEMM_BEST && vi_gemm_has_avx2());
	float *bp = malloc((k ? k : 1) * NR * sizeof *bp);

	for (size_t j0 = 0; j0 < n; j0 += NR)
		panel_product(&op, b, tb, m, n, k, j0, n - j0 < NR ? n - j0 : NR, alpha, beta, c, bp,
		              avx2);
	free(bp);
}
