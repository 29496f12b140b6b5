/* test-parse.c: the reader's decimals are strtof's, bit for bit: a fast
 * path handles short decimals, and must never round differently. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "vae.h"

#define ROWS 4096
#define COLS 16

/* A decimal in one of many spellings, from the seed r. */
static void number(char *buf, size_t n, vae_rng *r)
{
	static const char *const FMT[] = { "%.0f", "%.1f", "%.2f", "%.3f", "%.4f", "%.5f",
	                                   "%.6f", "%.7g", "%.8g", "%.9g", "%g", "%.3e",
	                                   "%.6e", "%.0e", "%+.4f", "%.7f" };
	double mag = pow(10.0, (double)(vae_rng_next(r) % 25) - 12.0);
	double v = (vae_rng_uniform(r) - 0.5) * 2 * mag;
	int k = (int)(vae_rng_next(r) % 16);

	if (k == 15)
		snprintf(buf, n, "%u", (unsigned)(vae_rng_next(r) % 20000000));  /* around 2^24 */
	else
		snprintf(buf, n, FMT[k], v);
}

int main(void)
{
	static char text[ROWS][COLS][40];   /* 2.6 MB: too big a frame for valgrind */
	char path[] = "/tmp/vae-test-parse.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	vae_rng r;
	vae_err e = { 0 };
	vae_mat x;
	vae_read_opts o = vae_read_defaults();
	size_t bad = 0, first = 0;

	vae_rng_seed(&r, 11);
	for (size_t i = 0; i < ROWS; i++)
		for (size_t j = 0; j < COLS; j++) {
			number(text[i][j], sizeof text[i][j], &r);
			fprintf(f, "%s%c", text[i][j], j + 1 < COLS ? ',' : '\n');
		}
	fclose(f);
	o.header = VAE_HEADER_NO;
	vae_reader *rd = vae_reader_open(path, &o, &e);
	vae_mat_alloc(&x, ROWS, COLS, &e);
	long n = rd && !vae_reader_select(rd, NULL, NULL, NULL, COLS, &e)
	       ? vae_reader_read(rd, &x, NULL, ROWS, &e) : -1;
	CHECK(n == ROWS, "read %ld rows of %d: %s", n, ROWS, e.msg);
	for (size_t i = 0; n == ROWS && i < ROWS; i++)
		for (size_t j = 0; j < COLS; j++) {
			float want = strtof(text[i][j], NULL), got = x.x[i * COLS + j];
			if (memcmp(&want, &got, sizeof want) && !bad++)
				first = i * COLS + j;
		}
	CHECK(bad == 0, "%d decimals in 16 spellings parse to strtof's floats bit for bit "
	      "(%zu differ%s%s)", ROWS * COLS, bad, bad ? ", first: " : "",
	      bad ? text[first / COLS][first % COLS] : "");
	vae_reader_close(rd);
	vae_mat_release(&x);
	unlink(path);
	return check_failed;
}
