/* tests/fuzz/model.c: the model loader (lib/model_file.c) on any bytes, and
 * a model that loads put to use: every accessor vae-info calls, then one
 * row encoded, decoded, scored by each metric and explained, since a model
 * that passes the loader's checks must be safe to use.
 *
 * A model file ends in a CRC-32 of what precedes it, and its header holds
 * its length; the fuzzer would rarely get past either.  So when the input
 * starts with the magic number and is long enough for the header and CRC,
 * the harness writes the input's length into the header and its CRC into
 * the last four bytes, unless bit 31 of the header's flags word (bytes 12
 * to 15, little-endian) is set: then the bytes go as they are, and the
 * checks of the envelope are fuzzed too.  Bit 30 of the flags word loads
 * with VAE_LOAD_OPTIMIZER. */
#include "fuzz.h"          /* first: it asks for memfd_create */

#include <zlib.h>

static const unsigned char MAGIC[8] = { 0x89, 'V', 'A', 'E', '\r', '\n', 0x1a, '\n' };

static void use(const vae_model *m)
{
	const vae_arch *a = vae_model_arch(m);
	const vae_record *rec = vae_model_record(m);
	vae_err e;
	vae_ctx *c = NULL;
	vae_mat x = { 0, 0, NULL }, mu = { 0, 0, NULL }, lv = { 0, 0, NULL }, out = { 0, 0, NULL };
	float score, *share = NULL;
	volatile float sink = 0;
	uint32_t h, w;
	uint64_t rows;
	unsigned samples;

	sink += (float)vae_model_n_params(m) + (float)a->n_hidden + (float)rec->epochs;
	sink += (float)vae_model_scale_kind(m) + (float)vae_model_image(m, &h, &w);
	for (size_t i = 0; i < a->n_in; i++) {
		const char *s = vae_model_name(m, i);
		float off, sc;
		vae_model_scaling(m, i, &off, &sc);
		sink += off + sc + (s ? (float)strlen(s) : 0);
	}
	for (int k = 0; k < VAE_N_METRICS; k++) {
		sink += vae_model_quantile(m, k, 0) + vae_model_quantile(m, k, 0.999);
		sink += (float)vae_model_pvalue(m, k, 1.0f);
		if (vae_model_calibration(m, k, &rows, &samples))
			sink += (float)rows + (float)samples;
	}
	if (!(c = vae_ctx_new(m, 1, &e)) || vae_mat_alloc(&x, 1, a->n_in, &e)
	    || vae_mat_alloc(&mu, 1, a->n_latent, &e) || vae_mat_alloc(&lv, 1, a->n_latent, &e)
	    || vae_mat_alloc(&out, 1, a->n_in, &e) || !(share = malloc(a->n_in * sizeof *share + 1)))
		goto out;
	for (size_t i = 0; i < a->n_in; i++)
		x.x[i] = (float)(i % 3) * 0.5f;
	if (!vae_encode(c, &x, &mu, &lv, 0, 1, &e))
		sink += mu.x[0] + lv.x[0];
	if (!vae_encode(c, &x, &mu, NULL, 1, 1, &e))
		sink += mu.x[0];
	if (!vae_decode(c, &mu, &out, 0, 1, &e) && !vae_decode(c, &mu, &out, 1, 1, &e))
		sink += out.x[0];
	for (int k = 0; k < VAE_N_METRICS; k++)
		if (!vae_score(c, &x, k, 2, 1, &score, &e))
			sink += score;
	if (!vae_explain(c, &x, share, &e))
		sink += share[0];
out:
	(void)sink;
	free(share);
	vae_mat_release(&x);
	vae_mat_release(&mu);
	vae_mat_release(&lv);
	vae_mat_release(&out);
	vae_ctx_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *b = malloc(size + 1);
	uint32_t flags = 0;
	fuzz_file f;
	vae_err e;
	vae_model *m;

	if (!b)
		abort();
	memcpy(b, data, size);
	if (size >= 28 && !memcmp(b, MAGIC, 8)) {
		flags = (uint32_t)b[12] | (uint32_t)b[13] << 8 | (uint32_t)b[14] << 16 | (uint32_t)b[15] << 24;
		if (!(flags >> 31)) {
			uint32_t crc;
			for (int i = 0; i < 8; i++)
				b[16 + i] = (unsigned char)((uint64_t)size >> (8 * i));
			crc = (uint32_t)crc32(0, b, (uInt)(size - 4));
			for (int i = 0; i < 4; i++)
				b[size - 4 + i] = (unsigned char)(crc >> (8 * i));
		}
	}
	fuzz_file_open(&f, b, size);
	free(b);
	m = vae_model_load(f.path, flags >> 30 & 1 ? VAE_LOAD_OPTIMIZER : 0, &e);
	fuzz_file_close(&f);
	if (m)
		use(m);
	vae_model_free(m);
	return 0;
}
