/* test-model.c: model files round-trip, corrupt ones are refused each with
 * its own message, and training is reproducible bit for bit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "internal.h"

static char dir[] = "/tmp/vae-test-model.XXXXXX";
static char path[256];

/* Scale x for m and train m on it for 3 epochs; x is freed. */
static vae_model *fit_rows(vae_model *m, vae_mat *x, uint64_t seed)
{
	vae_fit_opts o = vae_fit_defaults();

	vae_model_fit_scale(m, x, VAE_SCALE_STANDARD, 0, NULL);
	vae_model_scale(m, x);
	o.epochs = 3;
	o.batch = 32;
	o.seed = seed;
	o.trim = 0.1f;
	o.chosen = VAE_CHOSE_LATENT | VAE_CHOSE_BATCH;
	vae_fit(m, x, &o, NULL);
	vae_mat_release(x);
	return m;
}

static vae_model *trained(uint64_t seed)
{
	vae_arch a = { 4, 2, 1, { 8 }, VAE_TANH, VAE_GAUSSIAN, 0, 0, 0, 0, 0 };
	const char *names[] = { "a", "b,c", "d\"e", "" };
	vae_model *m = vae_model_new(&a, seed, NULL);
	vae_mat x;
	vae_rng r;

	vae_mat_alloc(&x, 300, 4, NULL);
	vae_rng_seed(&r, 42);
	for (size_t i = 0; i < 300; i++) {
		float t = vae_rng_normal(&r);
		for (size_t j = 0; j < 4; j++)
			x.x[i * 4 + j] = (float)(j + 1) * t + 0.1f * vae_rng_normal(&r) + 10.0f * (float)j;
	}
	vae_model_set_names(m, names, 4, NULL);
	return fit_rows(m, &x, seed);
}

static int same(const vae_model *a, const vae_model *b)
{
	size_t n = a->arch.n_in, np = a->n_params;
	int ok = !memcmp(&a->arch, &b->arch, sizeof a->arch) && np == b->n_params
	      && !memcmp(a->params, b->params, np * sizeof(float))
	      && !memcmp(a->offset, b->offset, n * sizeof(float))
	      && !memcmp(a->scale, b->scale, n * sizeof(float))
	      && !memcmp(&a->record, &b->record, sizeof a->record)
	      && a->has_quantiles == b->has_quantiles && a->scale_kind == b->scale_kind
	      && !memcmp(a->quantiles, b->quantiles, VAE_N_METRICS * VAE_N_QUANTILES * sizeof(float))
	      && a->adam_t == b->adam_t && !memcmp(a->adam_m, b->adam_m, np * sizeof(float))
	      && !memcmp(a->adam_v, b->adam_v, np * sizeof(float));
	for (size_t j = 0; ok && j < n; j++) {
		const char *x = vae_model_name(a, j), *y = vae_model_name(b, j);
		ok = x && y ? !strcmp(x, y) : x == y;
	}
	return ok;
}

static unsigned char *slurp(size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = malloc(1 << 20);

	*len = fread(b, 1, 1 << 20, f);
	fclose(f);
	return b;
}

static void spit(const unsigned char *b, size_t len)
{
	FILE *f = fopen(path, "wb");

	fwrite(b, 1, len, f);
	fclose(f);
}

static void fix_crc(unsigned char *b, size_t len)
{
	uLong c = crc32(0L, b, (uInt)(len - 4));

	for (int i = 0; i < 4; i++)
		b[len - 4 + i] = (unsigned char)(c >> (8 * i));
}

/* Write bytes, load, and expect a refusal whose message contains want. */
static void refused(const char *what, const unsigned char *b, size_t len, const char *want)
{
	vae_err e = { 0 };
	vae_model *m;

	spit(b, len);
	m = vae_model_load(path, VAE_LOAD_OPTIMIZER, &e);
	CHECK(!m && e.code == VAE_EMODEL && strstr(e.msg, want) && !strcmp(e.file, path),
	      "%s refused: \"%s\"", what, e.msg);
	vae_model_free(m);
}

/* A model file built field by field: little-endian words, sections framed
 * by tag and length, the header's length and the CRC made good by craft(). */
typedef struct craft_buf {
	unsigned char b[256];
	size_t len, section;
} craft_buf;

static void put_le(craft_buf *c, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		c->b[c->len++] = (unsigned char)(v >> (8 * i));
}

static void begin(craft_buf *c, const char *tag)
{
	memcpy(c->b + c->len, tag, 4);
	c->len += 4;
	put_le(c, 0, 8);
	c->section = c->len;
}

static void end(craft_buf *c)
{
	for (int i = 0; i < 8; i++)
		c->b[c->section - 8 + i] = (unsigned char)((uint64_t)(c->len - c->section) >> (8 * i));
}

static void arch(craft_buf *c, uint32_t n_in, uint32_t latent, uint32_t n_hidden,
                 const uint32_t *hidden, int likelihood)
{
	static const unsigned char MAGIC[8] = { 0x89, 'V', 'A', 'E', '\r', '\n', 0x1a, '\n' };

	memcpy(c->b, MAGIC, 8);
	c->len = 8;
	put_le(c, 1, 4);                        /* version */
	put_le(c, 0, 4);                        /* flags */
	put_le(c, 0, 8);                        /* length, set by craft() */
	begin(c, "ARCH");
	put_le(c, n_in, 4);
	put_le(c, latent, 4);
	put_le(c, n_hidden, 4);
	for (uint32_t i = 0; i < n_hidden; i++)
		put_le(c, hidden[i], 4);
	put_le(c, VAE_TANH, 4);
	put_le(c, (uint64_t)likelihood, 4);
	put_le(c, 0, 4);                        /* not a plain autoencoder */
	put_le(c, 0, 4);                        /* obs_scale 0.0f */
	end(c);
}

static size_t craft(craft_buf *c)
{
	c->len += 4;
	for (int i = 0; i < 8; i++)
		c->b[16 + i] = (unsigned char)((uint64_t)c->len >> (8 * i));
	fix_crc(c->b, c->len);
	return c->len;
}

/* Sizes in a header are claims, checked before they are believed. */
static void test_claims(void)
{
	craft_buf c;
	uint32_t wide[1] = { 1000000 };
	/* 2ab + 4a + 5b + 3 parameters for 1 -> a -> b -> 2, 1 -> b -> a -> 1
	 * (bernoulli: no scales): 2^64 + 9, which wrapped to 9. */
	uint32_t wrap[2] = { 2281142278u, 4043312910u };
	vae_arch a = { 1, 1, 2, { 2281142278u, 4043312910u }, VAE_TANH, VAE_BERNOULLI, 0, 0, 0, 0, 0 };

	/* 72 bytes, only an architecture of 10^12 parameters: refused for the
	 * file's length before the model is allocated, not out of memory. */
	arch(&c, 1000000, 2, 1, wide, VAE_GAUSSIAN);
	CHECK(craft(&c) == 72, "architecture-only model: %zu bytes", c.len);
	refused("architecture only", c.b, c.len, "truncated: the architecture needs");

	CHECK(sizeof(size_t) < 8 || vae_check_arch(&a), "vae_check_arch: a count that wraps size_t "
	      "is refused");
	arch(&c, 1, 1, 2, wrap, VAE_BERNOULLI);
	begin(&c, "SCAL");
	put_le(&c, VAE_SCALE_NONE, 4);
	put_le(&c, 0, 4);                       /* offset 0.0f */
	put_le(&c, 0x3f800000, 4);              /* scale 1.0f */
	end(&c);
	begin(&c, "WGHT");
	put_le(&c, 9, 8);
	for (int i = 0; i < 9; i++)
		put_le(&c, 0, 4);
	end(&c);
	craft(&c);
	if (sizeof(size_t) >= 8)
		refused("parameter count that wraps", c.b, c.len, "too many parameters");
}

static void test_corrupt(void)
{
	size_t len;
	unsigned char *good = slurp(&len), *b = malloc(len + 8);

	refused("empty file", good, 0, "empty file");
	memcpy(b, good, len);
	b[0] = 'X';
	refused("bad magic", b, len, "bad magic");
	memcpy(b, good, len);
	b[8] = 6;
	refused("version 6", b, len, "version 6, this program reads versions 1 to 5");
	refused("truncated", good, len - 100, "truncated");
	refused("header only", good, 20, "shorter than the header");
	memcpy(b, good, len);
	memcpy(b + len, "junk", 4);
	refused("trailing bytes", b, len + 4, "trailing bytes");
	memcpy(b, good, len);
	b[len / 2] ^= 0x10;
	refused("flipped bit", b, len, "checksum mismatch");
	memcpy(b, good, len);
	b[24] = 'Z';                    /* first section's tag, CRC made good */
	fix_crc(b, len);
	refused("first section not ARCH", b, len, "architecture section is missing");
	memcpy(b, good, len);
	b[36 + 4] = 0;                  /* ARCH n_latent = 0, CRC made good */
	fix_crc(b, len);
	refused("latent size 0", b, len, "latent size is 0");
	memcpy(b, good, len);
	b[35] = 0x7f;                   /* ARCH payload length overruns */
	fix_crc(b, len);
	refused("section overrun", b, len, "overruns the file");
	memcpy(b, good, len);
	b[28] += 4;                     /* ARCH longer than its fields */
	fix_crc(b, len);
	refused("section longer than its fields", b, len, "\"ARCH\" has 36 bytes, expected 32");
	memcpy(b, good, len);
	b[28] -= 4;                     /* ARCH shorter than its fields */
	fix_crc(b, len);
	refused("section shorter than its fields", b, len, "architecture section too short");
	memcpy(b, good, len);
	{   /* find SCAL and make its kind 7 */
		size_t at = 24;
		while (at + 12 <= len - 4 && memcmp(b + at, "SCAL", 4))
			at += 12 + (size_t)(b[at + 4] | b[at + 5] << 8 | b[at + 6] << 16);
		b[at + 12] = 7;
		fix_crc(b, len);
		refused("unknown scaling kind", b, len, "scaling: unknown kind 7");
		b[at + 12] = 1;
		memset(b + at + 16 + 4 * 4, 0, 4);     /* offset[0] ok; scale[0] = 0 */
		fix_crc(b, len);
		refused("zero scale", b, len, "scaling: column 1 has offset");
	}
	memcpy(b, good, len);
	{   /* append a second COLS section */
		unsigned char *d = malloc(len + 64);
		size_t at = 24, cols = 0, cols_len = 0;
		while (at + 12 <= len - 4) {
			size_t sl = (size_t)(b[at + 4] | b[at + 5] << 8 | b[at + 6] << 16);
			if (!memcmp(b + at, "COLS", 4)) {
				cols = at;
				cols_len = 12 + sl;
			}
			at += 12 + sl;
		}
		memcpy(d, b, len - 4);
		memcpy(d + len - 4, b + cols, cols_len);        /* a second COLS at the end */
		size_t dl = len - 4 + cols_len + 4;
		for (int i = 0; i < 8; i++)
			d[16 + i] = (unsigned char)((uint64_t)dl >> (8 * i));
		fix_crc(d, dl);
		refused("a section twice", d, dl, "section \"COLS\" appears twice");
		free(d);
	}
	free(b);
	free(good);
}

/* vi_crc32 against zlib's crc32 over every length to 300 and some large
 * ones, at every alignment to 16, from several starting values, and
 * chained: a buffer in two pieces gives the whole buffer's CRC. */
static void test_crc(void)
{
	enum { BIG = 1 << 20 };
	static const size_t LARGE[] = { 4096, 65535, 65536, 65537, BIG - 17, BIG - 16 };
	unsigned char *buf = malloc(BIG + 16);
	vae_rng r;
	long bad = 0, tried = 0;

	vae_rng_seed(&r, 3);
	for (size_t i = 0; i < BIG + 16; i++)
		buf[i] = (unsigned char)vae_rng_next(&r);
	for (size_t n = 0; n < 300 + sizeof LARGE / sizeof *LARGE; n++) {
		size_t len = n < 300 ? n : LARGE[n - 300];
		for (size_t at = 0; at < 16; at++, tried++) {
			uint32_t start = at % 3 ? (uint32_t)vae_rng_next(&r) : 0;
			uint32_t want = (uint32_t)crc32_z(start, buf + at, len);
			size_t cut = len / 3;
			if (vi_crc32(start, buf + at, len) != want
			    || vi_crc32(vi_crc32(start, buf + at, cut), buf + at + cut, len - cut) != want)
				bad++;
		}
	}
	CHECK(bad == 0, "vi_crc32 as zlib's crc32: %ld of %ld lengths x alignments differ", bad, tried);
	free(buf);
}

/* ---- a table: kinds, levels and masks round-trip ---- */

static vae_model *trained_table(uint64_t seed)
{
	static const char *const yn[] = { "no", "yes" }, *const abc[] = { "a", "b", "(other)" };
	vae_column cols[4] = {
		{ VAE_KIND_REAL, 0, 0, 0, NULL }, { VAE_KIND_COUNT, 1, 0, 0, NULL },
		{ VAE_KIND_BINARY, 0, 0, 2, (char **)yn }, { VAE_KIND_CAT, 0, 1, 3, (char **)abc },
	};
	vae_arch a = { 4, 2, 1, { 8 }, VAE_TANH, VAE_GAUSSIAN, 0, 0, 0, 0, 0 };
	vae_model *m = vae_model_new_table(&a, cols, 1, seed, NULL);
	vae_mat x;
	vae_rng r;

	vae_mat_alloc(&x, 300, 4, NULL);
	vae_rng_seed(&r, 42);
	for (size_t i = 0; i < 300; i++) {
		float t = vae_rng_normal(&r);
		x.x[i * 4 + 0] = 5 + 2 * t;
		x.x[i * 4 + 1] = (float)(int)(3 + 2 * t > 0 ? 3 + 2 * t : 0);
		x.x[i * 4 + 2] = t > 0;
		x.x[i * 4 + 3] = (float)(i % 2);
		x.x[i * 4 + i % 4] = i % 5 ? x.x[i * 4 + i % 4] : NAN;
	}
	return fit_rows(m, &x, seed);
}

static int same_columns(const vae_model *a, const vae_model *b)
{
	int ok = a->table == b->table && a->masked == b->masked && a->n_enc == b->n_enc
	      && a->n_dec == b->n_dec;

	for (size_t j = 0; ok && j < a->arch.n_in; j++) {
		const vae_column *x = vae_model_column(a, j), *y = vae_model_column(b, j);
		ok = x->kind == y->kind && x->negbin == y->negbin && x->other == y->other
		  && x->n_levels == y->n_levels && !memcmp(&a->net[j], &b->net[j], sizeof a->net[j]);
		for (size_t i = 0; ok && i < x->n_levels; i++)
			ok = !strcmp(x->levels[i], y->levels[i]);
	}
	return ok;
}

static void test_table(void)
{
	vae_err e = { 0 };
	vae_model *a = trained_table(5), *b;

	CHECK(a && a->n_enc == 1 + 1 + 1 + 3 + 4 && a->n_dec == 6,
	      "a table's widths: a cat column of 3 levels is 3 units, masks are 4 more inputs");
	CHECK(vae_model_save(a, path, &e) == 0, "save a table: %s", e.msg);
	b = vae_model_load(path, VAE_LOAD_OPTIMIZER, &e);
	CHECK(b && same(a, b) && same_columns(a, b), "a table loads back with its kinds, levels "
	      "and masks: %s", b ? "" : e.msg);
	vae_model_free(b);
	/* a cat column whose levels overrun the section is refused */
	size_t len;
	unsigned char *bytes = slurp(&len);
	bytes[24 + 12 + 8 + 4 * 12 + 4 * 3] = 0xff;   /* the cat column's level count */
	fix_crc(bytes, len);
	spit(bytes, len);
	CHECK(!vae_model_load(path, 0, &e) && e.code == VAE_EMODEL, "a bad level count is "
	      "refused: %s", e.msg);
	free(bytes);
	vae_model_free(a);
}

/* With validation rows, the score quantiles come from them: rows the model
 * did not learn from, as new rows will be. */
static void test_held_out(void)
{
	vae_arch a = { 3, 2, 1, { 8 }, VAE_TANH, VAE_GAUSSIAN, 0, 0, 0, 0, 0 };
	vae_model *m = vae_model_new(&a, 3, NULL);
	vae_fit_opts o = vae_fit_defaults();
	vae_mat x;
	uint64_t rows = 0;
	unsigned samples = 0;

	vae_mat_alloc(&x, 400, 3, NULL);
	for (size_t i = 0; i < 1200; i++)
		x.x[i] = (float)((i * 7919) % 101) / 50.0f;
	o.epochs = 2;
	o.val = 0.25f;
	CHECK(vae_fit(m, &x, &o, NULL) == 0, "a fit with validation rows");
	CHECK(m->record.held_out && m->record.rows == 300 && m->record.val == 0.25f
	      && vae_model_calibration(m, VAE_METRIC_ELBO, &rows, &samples) && rows == 100,
	      "the quantiles come from the 100 held-out rows (%llu)", (unsigned long long)rows);
	vae_mat_release(&x);
	vae_model_free(m);
}

/* The weights written are the steps' moving average: an autoencoder (no
 * draws) on one batch a step, fitted a step at a time without averaging,
 * gives the steps' weights p1..p12 from p0, and a fit of the twelve steps
 * averaged over 2 must give p0 -> p1 -> ... -> p12 averaged with the
 * decays min(1 - 1/2, (1 + t) / (10 + t)), t = 0..11: the ramp, then
 * the limit from t = 8 (each fit shuffles its batch its own way, so sums
 * may differ in their last bits). */
static void test_average(void)
{
	vae_arch a = { 3, 2, 1, { 8 }, VAE_TANH, VAE_GAUSSIAN, 1, 0, 0, 0, 0 };
	vae_model *m = vae_model_new(&a, 5, NULL), *w = vae_model_new(&a, 5, NULL);
	vae_fit_opts o = vae_fit_defaults();
	size_t np = m->n_params;
	float *avg = malloc(np * sizeof *avg);
	double worst = 0, adam = 0;
	int fitted = 0;
	vae_mat x;

	vae_mat_alloc(&x, 64, 3, NULL);
	for (size_t i = 0; i < 192; i++)
		x.x[i] = (float)((i * 7919) % 101) / 50.0f;
	CHECK(o.average == VAE_AVERAGE_EPOCH, "averaging over an epoch is the default");
	o.epochs = 1;
	o.batch = 64;
	o.average = 0;
	memcpy(avg, m->params, np * sizeof *avg);
	for (int t = 0; t < 12; t++) {  /* p(t+1), and the average after it */
		float d = fminf(0.5f, (float)(1 + t) / (float)(10 + t));
		fitted += vae_fit(m, &x, &o, NULL) == 0;
		for (size_t k = 0; k < np; k++)
			avg[k] += (1 - d) * (m->params[k] - avg[k]);
	}
	CHECK(fitted == 12, "twelve fits of a step");
	o.epochs = 12;
	o.average = 2;
	CHECK(vae_fit(w, &x, &o, NULL) == 0, "twelve steps, averaged");
	for (size_t k = 0; k < np; k++) {
		worst = fmax(worst, fabs((double)w->params[k] - avg[k]));
		adam = fmax(adam, fabs((double)w->adam_m[k] - m->adam_m[k]));
	}
	CHECK(worst < 1e-6 && memcmp(w->params, m->params, np * sizeof *avg),
	      "the weights written are the average of the steps' (off by %g)", worst);
	CHECK(adam < 1e-6 && w->adam_t == 12, "Adam's state is the steps' own (off by %g)", adam);
	vae_mat_release(&x);
	vae_model_free(m);
	vae_model_free(w);
	free(avg);
}

/* vae_plan: what it chooses from rows and columns, and that a size given
 * stays as given. */
static void test_plan(void)
{
	static const struct {
		size_t rows, cols;
		unsigned given;
		size_t latent, hidden, batch;
		float val;
	} cases[] = {
		{ 123, 8, 0, 4, 32, 16, 0 },
		{ 569, 30, 0, 15, 64, 32, 0 },
		{ 10000, 784, 0, 16, 256, 128, 0.1f },
		{ 100000, 3, 0, 2, 32, 128, 0.1f },
		{ 123, 8, VAE_CHOSE_LATENT | VAE_CHOSE_HIDDEN | VAE_CHOSE_BATCH, 7, 9, 5, 0 },
		{ 5000, 8, VAE_CHOSE_VAL, 4, 32, 128, 0 },
		{ 60000, 784, VAE_CHOSE_EPOCHS, 16, 256, 128, 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		vae_arch a = { 0, 7, 1, { 9 }, VAE_RELU, VAE_GAUSSIAN, 0, 0, 0, 0, 0 };
		vae_fit_opts o = vae_fit_defaults();
		o.batch = 5;
		vae_plan(cases[i].rows, cases[i].cols, cases[i].given, &a, &o);
		double steps = ceil((double)(cases[i].rows - (size_t)(o.val * (float)cases[i].rows))
		                    / (double)o.batch) * o.epochs;
		CHECK(a.n_latent == cases[i].latent && a.hidden[0] == cases[i].hidden
		      && o.batch == cases[i].batch && o.val == cases[i].val
		      && (o.val > 0) == (o.patience > 0) && o.chosen == (0x1fu & ~cases[i].given
		                                                         & ~(o.val > 0 ? 0u : VAE_CHOSE_VAL))
		      && steps >= 1000 && o.epochs >= 20,
		      "plan %zu rows x %zu columns, given %#x: -z %zu -H %zu -b %zu -e %u --val %g",
		      cases[i].rows, cases[i].cols, cases[i].given, a.n_latent, a.hidden[0], o.batch,
		      o.epochs, (double)o.val);
	}
}

/* The file's bytes without its section tag (a file as an older version
 * wrote it), the length and CRC made good.  @return the new length. */
static size_t drop_section(unsigned char *b, size_t len, const char *tag)
{
	for (size_t at = 24; at + 12 <= len - 4;) {
		uint64_t n = 0;
		for (int i = 0; i < 8; i++)
			n |= (uint64_t)b[at + 4 + (size_t)i] << (8 * i);
		if (!memcmp(b + at, tag, 4)) {
			memmove(b + at, b + at + 12 + n, len - (at + 12 + n));
			len -= 12 + (size_t)n;
			for (int i = 0; i < 8; i++)
				b[16 + i] = (unsigned char)((uint64_t)len >> (8 * i));
			fix_crc(b, len);
			return len;
		}
		at += 12 + (size_t)n;
	}
	return len;
}

/* Files of format versions 1 (no column kinds) and 2 (no fit settings)
 * still load, with the settings not recorded (0). */
static void test_old_versions(const vae_model *a)
{
	vae_err e = { 0 };
	size_t len;
	unsigned char *bytes;
	vae_model *b;

	for (int version = 1; version <= 2; version++) {
		vae_model_save(a, path, &e);
		bytes = slurp(&len);
		bytes[8] = (unsigned char)version;
		size_t shorter = drop_section(bytes, len, "FITS");
		CHECK(shorter < len, "version %d: the FITS section was there to drop", version);
		spit(bytes, shorter);
		b = vae_model_load(path, VAE_LOAD_OPTIMIZER, &e);
		vae_record r = a->record;
		r.batch = r.patience = r.chosen = r.held_out = 0;
		r.val = r.trim = 0;
		CHECK(b && !memcmp(&b->record, &r, sizeof r) && !vae_model_is_table(b),
		      "a version %d file loads, its fit settings 0: %s", version, b ? "" : e.msg);
		if (b) {
			b->record = a->record;
			CHECK(same(a, b), "a version %d file loads the same model", version);
		}
		vae_model_free(b);
		free(bytes);
	}
}

/* A model of two latent levels: trained on the rows of trained(), written
 * as version 4 with its LVL2 section, loaded back bit for bit; the same
 * bytes marked version 3 are refused, and a one-level model stays version
 * 3. */
static void test_two_levels(const vae_model *one)
{
	vae_arch a = { 4, 2, 1, { 8 }, VAE_TANH, VAE_GAUSSIAN, 0, 0, 3, 5, 0 };
	vae_model *m = vae_model_new(&a, 9, NULL), *b;
	vae_mat x;
	vae_rng r;
	vae_err e = { 0 };
	size_t len;
	unsigned char *bytes;

	vae_mat_alloc(&x, 300, 4, NULL);
	vae_rng_seed(&r, 43);
	for (size_t i = 0; i < 300 * 4; i++)
		x.x[i] = vae_rng_normal(&r) + (float)(i % 4);
	m = fit_rows(m, &x, 9);
	CHECK(m && m->n_params == one->n_params + (2 * 5 + 5 + 5 * 6 + 6) + (3 * 5 + 5 + 5 * 4 + 4),
	      "two levels: the networks between them follow the rest (%zu parameters)", m->n_params);
	CHECK(vae_model_save(m, path, &e) == 0, "save two levels: %s", e.msg);
	bytes = slurp(&len);
	CHECK(bytes[8] == 4 && !memcmp(bytes + 24, "LVL2", 4), "two levels: version 4, LVL2 first");
	b = vae_model_load(path, VAE_LOAD_OPTIMIZER, &e);
	CHECK(b && same(m, b) && vae_model_latent(b, 2) == 3 && b->arch.hidden2 == 5,
	      "two levels load back bit for bit: %s", b ? "" : e.msg);
	vae_model_free(b);
	bytes[8] = 3;
	fix_crc(bytes, len);
	refused("LVL2 in version 3", bytes, len, "a second latent level in a version 3 file");
	free(bytes);
	vae_model_save(one, path, &e);
	bytes = slurp(&len);
	CHECK(bytes[8] == 3 && vae_model_latent(one, 2) == 0, "one level: still version 3");
	free(bytes);
	vae_model_free(m);
}

/* ---- a label: its classes round-trip in a LABL section ---- */

/* Offsets in a file whose first section is LABL: its payload's class
 * count, name flag and the name's length. */
enum { LABL_N = 24 + 12, LABL_NAMED = LABL_N + 4, LABL_NAME_LEN = LABL_N + 8 };

/* Write m, change the u32 at byte at to v (CRC made good) and expect a
 * refusal containing want. */
static void refused_u32(const vae_model *m, size_t at, uint32_t v, const char *what,
                        const char *want)
{
	vae_err e = { 0 };
	size_t len;
	unsigned char *bytes;

	vae_model_save(m, path, &e);
	bytes = slurp(&len);
	for (int i = 0; i < 4; i++)
		bytes[at + (size_t)i] = (unsigned char)(v >> (8 * i));
	fix_crc(bytes, len);
	refused(what, bytes, len, want);
	free(bytes);
}

/* A model with a label of 3 classes, trained on rows of which one in five
 * has a label: written as version 5 with its LABL section first, loaded
 * back bit for bit with the classes in their order and the label's name
 * (or none); a LABL section in a version 4 file, a bad class count or
 * name flag, a text that overruns the section, and a file that lost its
 * LABL section are refused. */
static void test_labels(const vae_model *plain)
{
	static const char *const classes[] = { "bird", "cat", "dog" };
	vae_arch a = { 4, 2, 1, { 8 }, VAE_TANH, VAE_GAUSSIAN, 0, 0, 0, 0, 3 };
	vae_model *m = vae_model_new(&a, 11, NULL), *b;
	vae_fit_opts o = vae_fit_defaults();
	vae_mat x;
	vae_rng r;
	vae_err e = { 0 };
	float y[300];
	size_t len;
	unsigned char *bytes;
	const char *const *got, *name;

	vae_mat_alloc(&x, 300, 4, NULL);
	vae_rng_seed(&r, 44);
	for (size_t i = 0; i < 300; i++) {
		for (size_t j = 0; j < 4; j++)
			x.x[i * 4 + j] = vae_rng_normal(&r) + (j == i % 3 ? 3.0f : 0.0f);
		y[i] = i % 5 ? NAN : (float)(i % 3);
	}
	CHECK(m && vae_model_set_classes(m, "kind", classes, 3, &e) == 0, "set 3 classes: %s", e.msg);
	/* the classifier 8 -> 3 on the encoder's first hidden layer, and the
	 * one-hot's 3 more inputs to the encoder's and the decoder's first
	 * layers */
	CHECK(m && m->n_params == plain->n_params + (8 * 3 + 3) + 2 * 3 * 8,
	      "a label adds the classifier and the one-hot's weights (%zu parameters)",
	      m ? m->n_params : 0);
	vae_model_fit_scale(m, &x, VAE_SCALE_STANDARD, 0, NULL);
	vae_model_scale(m, &x);
	o.epochs = 3;
	o.batch = 32;
	o.seed = 11;
	CHECK(vae_fit_labelled(m, &x, y, &o, &e) == 0, "fit with labels: %s", e.msg);
	vae_mat_release(&x);
	CHECK(vae_model_save(m, path, &e) == 0, "save a model with a label: %s", e.msg);
	bytes = slurp(&len);
	CHECK(bytes[8] == 5 && !memcmp(bytes + 24, "LABL", 4), "a label: version 5, LABL first");
	free(bytes);
	b = vae_model_load(path, VAE_LOAD_OPTIMIZER, &e);
	CHECK(b && same(m, b) && b->n_params == m->n_params && b->arch.n_classes == 3,
	      "a model with a label loads back bit for bit: %s", b ? "" : e.msg);
	CHECK(b && vae_model_classes(b, &got, &name) == 3 && got && name && !strcmp(name, "kind")
	      && !strcmp(got[0], "bird") && !strcmp(got[1], "cat") && !strcmp(got[2], "dog"),
	      "the label's name and its classes, in order, load back");
	CHECK(b && vae_model_class(b, "dog", 3) == 2 && vae_model_class(b, "do", 2) == -1
	      && vae_model_class(b, "fish", 4) == -1, "vae_model_class finds a class by its text");
	vae_model_free(b);

	CHECK(vae_model_set_classes(m, NULL, classes, 3, &e) == 0
	      && vae_model_save(m, path, &e) == 0, "save a label without a name: %s", e.msg);
	b = vae_model_load(path, 0, &e);
	CHECK(b && vae_model_classes(b, &got, &name) == 3 && !name && got && !strcmp(got[1], "cat"),
	      "a label without a name loads back without one: %s", b ? "" : e.msg);
	vae_model_free(b);
	CHECK(vae_model_set_classes(m, "kind", classes, 2, &e) == VAE_EPARAM,
	      "2 class names for 3 classes are refused: %s", e.msg);

	vae_model_set_classes(m, "kind", classes, 3, &e);
	refused_u32(m, 8, 4, "LABL in version 4", "a label's classes in a version 4 file");
	refused_u32(m, LABL_N, 0, "no classes", "label: 0 classes, name flag 1");
	refused_u32(m, LABL_NAMED, 2, "name flag 2", "label: 3 classes, name flag 2");
	refused_u32(m, LABL_NAME_LEN, 1000, "a name past the section", "label: a text overruns its section");
	refused_u32(m, LABL_N, 4, "a class more than the texts", "label: a text overruns its section");
	refused_u32(m, LABL_N, 2, "a class less than the texts", "section \"LABL\" has");
	vae_model_save(m, path, &e);
	bytes = slurp(&len);
	size_t shorter = drop_section(bytes, len, "LABL");
	bytes[8] = 3;
	fix_crc(bytes, shorter);
	CHECK(shorter < len, "the LABL section was there to drop");
	refused("a label's weights without its LABL section", bytes, shorter, "weights:");
	free(bytes);
	vae_model_free(m);
}

int main(void)
{
	vae_err e = { 0 };
	vae_model *a, *b, *c;

	vae_set_threads(1);
	test_crc();
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/m.vae", dir);
	a = trained(7);
	CHECK(vae_model_save(a, path, &e) == 0, "save: %s", e.msg);
	b = vae_model_load(path, VAE_LOAD_OPTIMIZER, &e);
	CHECK(b && same(a, b), "load gives back every field bit for bit");
	vae_model_free(b);
	b = trained(7);
	c = trained(8);
	CHECK(same(a, b), "the same seed trains the same model bit for bit");
	CHECK(!same(a, c), "another seed trains another model");
	CHECK(a->record.epochs == 3 && a->record.rows == 300 && a->has_quantiles
	      && vae_model_quantile(a, VAE_METRIC_ELBO, 0.5) > vae_model_quantile(a, VAE_METRIC_RECON, 0.5),
	      "training record and score quantiles are stored");
	CHECK(a->record.batch == 32 && a->record.trim == 0.1f && a->record.val == 0
	      && a->record.chosen == (VAE_CHOSE_LATENT | VAE_CHOSE_BATCH) && !a->record.held_out,
	      "the fit's settings are recorded");
	test_held_out();
	test_average();
	test_plan();
	test_corrupt();
	test_claims();
	test_old_versions(a);
	test_two_levels(a);
	test_labels(a);
	test_table();
	e.code = 0;
	CHECK(!vae_model_load("/nonexistent/m.vae", 0, &e) && e.code == VAE_ENOINPUT,
	      "a missing model is VAE_ENOINPUT");
	vae_model_free(a);
	vae_model_free(b);
	vae_model_free(c);
	unlink(path);
	rmdir(dir);
	return check_failed;
}
