/* gemm.c: the one seam between the library and BLAS. */
#include <cblas.h>

#include "internal.h"

void vi_gemm(int ta, int tb, size_t m, size_t n, size_t k, float alpha,
              const float *a, const float *b, float beta, float *c)
{
	cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
	            (int)m, (int)n, (int)k, alpha, a, ta ? (int)m : (int)k,
	            b, tb ? (int)k : (int)n, beta, c, (int)n);
}

void vae_set_threads(int n)
{
	if (n > 0)
		openblas_set_num_threads(n);
}
