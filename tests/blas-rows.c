/* blas-rows: does this BLAS round a row of a product by its place in the
 * block?  Inference multiplies blocks of 64 rows (Y = X W^T + Y, as
 * lib/layer.c does), and promises each row the same bytes whatever rows
 * come with it.  That holds only if sgemm computes a row alike at every
 * position of the block; some OpenBLAS kernel sets (0.3.21's Haswell and
 * Zen sgemm) do not, and round rows at some positions differently in the
 * last bit.  For a few shapes, put one nonzero row at each position 0..63
 * of an otherwise zero block and compare its result with the result at
 * position 0.
 *
 * tests/blas-rows [N,K ...] tries the products of ROWS x K by (N x K)^T
 * named, or without arguments those of tests/cli/determinism-blocks.sh's
 * model (10 inputs, hidden 64, latent 2: 10->64, 64->4, 2->64, 64->20).
 *
 * Exit 0: no row depends on its position.  Exit 1: one does; stdout names
 * the OpenBLAS core and the first shape and position that differ.  Exit 2:
 * out of memory or a bad argument.  Linked against OpenBLAS only (pkg-config openblas). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#define ROWS 64

/* Deterministic values of either sign and varied magnitude, so that the
 * sums round; no libm and no rand(), for the same numbers everywhere. */
static float value(unsigned i, unsigned salt)
{
	unsigned x = (i + 1u) * 2654435761u ^ (salt * 40503u + 0x9e3779b9u);

	x ^= x >> 15;
	x *= 2246822519u;
	x ^= x >> 13;
	return ((float)(x % 20001u) - 10000.0f) / 3937.0f;
}

/* Y (ROWS x n) = X (ROWS x k) W^T (W is n x k) + Y, with Y starting as a
 * bias row in every row and X zero but for row pos; the result of that row
 * into out (n floats). */
static void row_at(int pos, int n, int k, const float *w, const float *x,
                   const float *bias, float *a, float *c, float *out)
{
	memset(a, 0, sizeof *a * ROWS * (size_t)k);
	memcpy(a + (size_t)pos * k, x, sizeof *x * (size_t)k);
	for (int r = 0; r < ROWS; r++)
		memcpy(c + (size_t)r * n, bias, sizeof *bias * (size_t)n);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, ROWS, n, k,
	            1.0f, a, k, w, k, 1.0f, c, n);
	memcpy(out, c + (size_t)pos * n, sizeof *out * (size_t)n);
}

int main(int argc, char **argv)
{
	static char *const model[] = { "64,10", "10,64", "4,64", "64,2", "20,64" };
	char *const *shape = argc > 1 ? argv + 1 : model;
	int shapes = argc > 1 ? argc - 1 : (int)(sizeof model / sizeof model[0]);

	openblas_set_num_threads(1);
	for (int s = 0; s < shapes; s++) {
		int n, k, end = 0;

		if (sscanf(shape[s], "%d,%d%n", &n, &k, &end) != 2 || shape[s][end] != '\0' ||
		    n < 1 || k < 1 || n > 4096 || k > 4096) {
			fprintf(stderr, "blas-rows: %s: not N,K (each 1 to 4096)\n", shape[s]);
			return 2;
		}
		float *w = malloc(sizeof *w * (size_t)n * k);
		float *x = malloc(sizeof *x * (size_t)k);
		float *bias = malloc(sizeof *bias * (size_t)n);
		float *a = malloc(sizeof *a * ROWS * (size_t)k);
		float *c = malloc(sizeof *c * ROWS * (size_t)n);
		float *want = malloc(sizeof *want * (size_t)n);
		float *got = malloc(sizeof *got * (size_t)n);

		if (!w || !x || !bias || !a || !c || !want || !got) {
			fputs("blas-rows: out of memory\n", stderr);
			return 2;
		}
		for (int i = 0; i < n * k; i++)
			w[i] = value((unsigned)i, 1) * 0.25f;
		for (int i = 0; i < k; i++)
			x[i] = value((unsigned)i, 2);
		for (int i = 0; i < n; i++)
			bias[i] = value((unsigned)i, 3) * 0.1f;
		row_at(0, n, k, w, x, bias, a, c, want);
		for (int pos = 1; pos < ROWS; pos++) {
			row_at(pos, n, k, w, x, bias, a, c, got);
			if (memcmp(want, got, sizeof *got * (size_t)n) != 0) {
				int j = 0;

				while (want[j] == got[j])
					j++;
				printf("%s: sgemm %dx%d by %dx%d^T: row at position %d "
				       "differs from position 0 (column %d: %.9g, not %.9g)\n",
				       openblas_get_corename(), ROWS, k, n, k, pos, j,
				       (double)got[j], (double)want[j]);
				return 1;
			}
		}
		free(w), free(x), free(bias), free(a), free(c), free(want), free(got);
	}
	printf("%s: every row alike at every position\n", openblas_get_corename());
	return 0;
}
