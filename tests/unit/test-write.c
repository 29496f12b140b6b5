/* test-write.c: the row writer's bytes in every format, read back by hand
 * (zlib inflate, big- and little-endian fields, PNG chunks and CRCs), and
 * the rows it refuses. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "internal.h"
#include "number.h"

typedef struct buf {
	unsigned char *p;
	size_t len;
} buf;

/* ======================================================================
 * Helpers
 * ==================================================================== */

static buf slurp(FILE *f)
{
	buf b = { NULL, 0 };
	long n;

	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		return b;
	b.p = malloc((size_t)n + 1);
	b.len = fread(b.p, 1, (size_t)n, f);
	return b;
}

/* Write rows x width values v (row-major) with o.
 * @return the bytes written; *rc: vae_writer_free's result. */
static buf write_rows(const vae_write_opts *o, const float *v, size_t rows, size_t width, int *rc)
{
	FILE *f = tmpfile();
	vae_err e = { 0 };
	vae_writer *w = vae_writer_new(f, o, &e);
	buf b;

	for (size_t r = 0; w && r < rows; r++) {
		for (size_t c = 0; c < width; c++)
			vae_write_float(w, v[r * width + c]);
		vae_write_end(w, &e);
	}
	*rc = w ? vae_writer_free(w, &e) : e.code;
	b = slurp(f);
	fclose(f);
	return b;
}

/* Inflate a gzip (window 15 + 16) or zlib (15) stream; len 0 on error. */
static buf unzip(const unsigned char *p, size_t n, int window)
{
	z_stream z;
	buf b = { NULL, 0 };
	size_t cap = 1024;
	int zr = Z_OK;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, window) != Z_OK)
		return b;
	b.p = malloc(cap);
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	while (zr == Z_OK) {
		if (b.len == cap)
			b.p = realloc(b.p, cap *= 2);
		z.next_out = b.p + b.len;
		z.avail_out = (uInt)(cap - b.len);
		zr = inflate(&z, Z_NO_FLUSH);
		b.len = cap - z.avail_out;
	}
	if (zr != Z_STREAM_END || z.avail_in)
		b.len = 0;
	inflateEnd(&z);
	return b;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static float bits(uint32_t u)
{
	float f;

	memcpy(&f, &u, 4);
	return f;
}

/* ======================================================================
 * CSV and TSV, unchanged
 * ==================================================================== */

static void test_text(void)
{
	static const char *want[] = { "a,\"b,c\",1.5\n2,-0.25\n", "a\tb,c\t1.5\n2\t-0.25\n" };
	int fmt[] = { VAE_FMT_CSV, VAE_FMT_TSV };

	for (int i = 0; i < 2; i++) {
		vae_write_opts o = vae_write_defaults();
		FILE *f = tmpfile();
		vae_writer *w;
		buf b;
		int rc;

		o.format = fmt[i];
		w = vae_writer_new(f, &o, NULL);
		vae_write_text(w, "a", 1);
		vae_write_text(w, "b,c", 3);
		vae_write_float(w, 1.5f);
		vae_write_end(w, NULL);
		vae_write_float(w, 2);
		vae_write_float(w, -0.25f);
		vae_write_end(w, NULL);
		rc = vae_writer_free(w, NULL);
		b = slurp(f);
		fclose(f);
		CHECK(rc == 0 && b.len == strlen(want[i]) && !memcmp(b.p, want[i], b.len),
		      "%s: text and floats as before", i ? "tsv" : "csv");
		free(b.p);
	}
}

/* ======================================================================
 * NPY and IDX
 * ==================================================================== */

/* The NPY in b: magic, version 1.0, the dict for shape (rows, width), padded
 * to 64 bytes, then the little-endian floats v. */
static int npy_ok(buf b, const float *v, size_t rows, size_t width, const char *what)
{
	char dict[128];
	size_t hl, n = rows * width;
	int ok = b.len >= 10 && !memcmp(b.p, "\x93NUMPY\x01\x00", 8);

	hl = ok ? (size_t)b.p[8] | (size_t)b.p[9] << 8 : 0;
	CHECK(ok && (10 + hl) % 64 == 0 && b.p[10 + hl - 1] == '\n',
	      "%s: npy 1.0 magic, header ends in '\\n' at a multiple of 64 (%zu)", what, 10 + hl);
	snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (%zu, %zu), }",
	         rows, width);
	ok = ok && hl > strlen(dict) && !memcmp(b.p + 10, dict, strlen(dict));
	for (size_t i = 10 + strlen(dict); ok && i < 10 + hl - 1; i++)
		ok = b.p[i] == ' ';
	CHECK(ok, "%s: header is %s, spaces, newline", what, dict);
	ok = ok && b.len == 10 + hl + 4 * n;
	for (size_t i = 0; ok && i < n; i++)
		ok = bits(le32(b.p + 10 + hl + 4 * i)) == v[i];
	CHECK(ok, "%s: %zu little-endian floats round-trip", what, n);
	return ok;
}

static void test_npy(void)
{
	float v[12];
	vae_write_opts o = vae_write_defaults();
	int rc;

	for (int i = 0; i < 12; i++)
		v[i] = (float)i * 0.375f - 1.1f;
	o.format = VAE_FMT_NPY;
	buf gz = write_rows(&o, v, 3, 4, &rc);
	buf raw = unzip(gz.p, gz.len, 15 + 16);
	CHECK(rc == 0 && gz.len > 2 && gz.p[0] == 0x1f && gz.p[1] == 0x8b, "npy: gzip by default");
	npy_ok(raw, v, 3, 4, "npy gzip");
	o.compress = 0;
	buf plain = write_rows(&o, v, 3, 4, &rc);
	CHECK(rc == 0, "npy --compress 0: written");
	npy_ok(plain, v, 3, 4, "npy plain");
	free(gz.p);
	free(raw.p);
	free(plain.p);
}

/* Many blocks through the spool and the compressor. */
static void test_npy_long(void)
{
	size_t rows = 30000, width = 3;
	float *v = malloc(rows * width * sizeof *v);
	vae_write_opts o = vae_write_defaults();
	int rc;

	for (size_t i = 0; i < rows * width; i++)
		v[i] = sinf((float)i) * 100.0f;
	o.format = VAE_FMT_NPY;
	o.compress = 9;
	buf gz = write_rows(&o, v, rows, width, &rc);
	buf raw = unzip(gz.p, gz.len, 15 + 16);
	CHECK(rc == 0, "npy: 30000 rows written");
	npy_ok(raw, v, rows, width, "npy 30000 rows");
	free(v);
	free(gz.p);
	free(raw.p);
}

static void test_idx(void)
{
	static const unsigned char head[12] = { 0, 0, 0x0D, 2, 0, 0, 0, 3, 0, 0, 0, 4 };
	float v[12];
	vae_write_opts o = vae_write_defaults();
	int rc;

	for (int i = 0; i < 12; i++)
		v[i] = 1.0f / (float)(i + 1) - 0.5f;
	o.format = VAE_FMT_IDX;
	for (int level = 0; level <= 1; level++) {
		o.compress = level;
		buf out = write_rows(&o, v, 3, 4, &rc);
		buf b = level ? unzip(out.p, out.len, 15 + 16) : out;
		int ok = rc == 0 && b.len == 12 + 48 && !memcmp(b.p, head, 12);
		CHECK(ok, "idx %s: magic 00 00 0D 02, 3 and 4 as u32 BE", level ? "gzip" : "plain");
		for (size_t i = 0; ok && i < 12; i++)
			ok = bits(be32(b.p + 12 + 4 * i)) == v[i];
		CHECK(ok, "idx %s: big-endian floats round-trip", level ? "gzip" : "plain");
		if (level)
			free(b.p);
		free(out.p);
	}
}

/* ======================================================================
 * PNG
 * ==================================================================== */

typedef struct png {
	uint32_t w, h;
	int depth, colour, n_idat, crc_ok, order_ok;
	buf pixels;                 /* the inflated IDAT data */
} png;

/* Walk the chunks: signature, IHDR first, IDATs together, IEND last. */
static png png_read(buf b)
{
	png p = { 0, 0, 0, 0, 0, 1, 0, { NULL, 0 } };
	unsigned char *idat = malloc(b.len + 1);
	size_t at = 8, n_idat = 0, chunk = 0;
	int ended = 0, after_idat = 0;

	p.order_ok = b.len >= 8 && !memcmp(b.p, "\x89PNG\r\n\x1a\n", 8);
	while (p.order_ok && !ended && at + 12 <= b.len) {
		uint32_t n = be32(b.p + at);
		const unsigned char *type = b.p + at + 4;
		if (n > b.len - at - 12)
			break;
		p.crc_ok &= crc32(0L, type, n + 4) == be32(b.p + at + 8 + n);
		p.order_ok &= (chunk == 0) == !memcmp(type, "IHDR", 4);
		if (chunk == 0 && n == 13) {
			p.w = be32(type + 4);
			p.h = be32(type + 8);
			p.depth = type[12];
			p.colour = type[13];
		}
		if (!memcmp(type, "IDAT", 4)) {
			p.order_ok &= !after_idat;
			memcpy(idat + n_idat, type + 4, n);
			n_idat += n;
			p.n_idat++;
		} else if (p.n_idat) {
			after_idat = 1;
		}
		ended = !memcmp(type, "IEND", 4) && n == 0;
		at += 12 + n;
		chunk++;
	}
	p.order_ok &= ended && at == b.len && p.n_idat > 0;
	p.pixels = unzip(idat, n_idat, 15);
	free(idat);
	return p;
}

/* The expected grey level at (x, y) of the grid of rows images of ih x iw
 * holding v, across tiles wide. */
static int want_pixel(const float *v, size_t rows, size_t ih, size_t iw, size_t across,
                      size_t x, size_t y, double lo, double hi)
{
	size_t tx = (x - 2) / (iw + 2), ty = (y - 2) / (ih + 2);
	size_t px = (x - 2) % (iw + 2), py = (y - 2) % (ih + 2), r = ty * across + tx;
	double t;

	if (x < 2 || y < 2 || px >= iw || py >= ih || tx >= across || r >= rows)
		return 0;
	t = 255.0 * ((double)v[r * ih * iw + py * iw + px] - lo) / (hi - lo);
	return t <= 0 ? 0 : t >= 255 ? 255 : (int)floor(t + 0.5);
}

/* Every scanline: filter byte 0, then the grid's pixels. */
static int pixels_ok(const png *p, const float *v, size_t rows, size_t ih, size_t iw,
                     size_t across, double lo, double hi)
{
	size_t stride = (size_t)p->w + 1;
	int ok = p->pixels.len == p->h * stride;

	for (size_t y = 0; ok && y < p->h; y++) {
		ok = p->pixels.p[y * stride] == 0;
		for (size_t x = 0; ok && x < p->w; x++)
			ok = p->pixels.p[y * stride + 1 + x]
			     == want_pixel(v, rows, ih, iw, across, x, y, lo, hi);
	}
	return ok;
}

/* n tiles of 3 high x 2 wide: ceil(sqrt(n)) across, 2-pixel gaps. */
static void test_png_sizes(void)
{
	static const size_t n[] = { 1, 2, 4, 5, 10, 17 };
	static const uint32_t want_w[] = { 6, 10, 10, 14, 18, 22 };
	static const uint32_t want_h[] = { 7, 7, 12, 12, 17, 22 };
	static const size_t across[] = { 1, 2, 2, 3, 4, 5 };
	float v[17 * 6];
	vae_write_opts o = vae_write_defaults();
	int rc;

	for (size_t i = 0; i < 17 * 6; i++)
		v[i] = (float)i;
	o.format = VAE_FMT_PNG;
	o.image_h = 3;
	o.image_w = 2;
	for (int i = 0; i < 6; i++) {
		buf b = write_rows(&o, v, n[i], 6, &rc);
		png p = png_read(b);
		CHECK(rc == 0 && p.order_ok && p.crc_ok && p.w == want_w[i] && p.h == want_h[i]
		      && p.depth == 8 && p.colour == 0,
		      "png of %zu tiles: chunks in order, CRCs right, IHDR %ux%u grey 8-bit (got %ux%u)",
		      n[i], want_w[i], want_h[i], p.w, p.h);
		CHECK(pixels_ok(&p, v, n[i], 3, 2, across[i], 0, 6.0 * (double)n[i] - 1),
		      "png of %zu tiles: scanlines, gaps and empty cells", n[i]);
		free(b.p);
		free(p.pixels.p);
	}
}

/* A fixed range clamps; no rows is one black pixel; compress 0 still deflates. */
static void test_png_range(void)
{
	float v[5 * 6];
	vae_write_opts o = vae_write_defaults();
	int rc;

	for (size_t i = 0; i < 5 * 6; i++)
		v[i] = (float)i;
	o.format = VAE_FMT_PNG;
	o.image_h = 3;
	o.image_w = 2;
	o.lo = 4;
	o.hi = 16;
	o.compress = 0;
	buf b = write_rows(&o, v, 5, 6, &rc);
	png p = png_read(b);
	CHECK(rc == 0 && p.crc_ok && pixels_ok(&p, v, 5, 3, 2, 3, 4, 16),
	      "png: lo 4, hi 16 clamp below and above");
	free(b.p);
	free(p.pixels.p);
	b = write_rows(&o, v, 0, 6, &rc);
	p = png_read(b);
	CHECK(rc == 0 && p.order_ok && p.crc_ok && p.w == 1 && p.h == 1 && p.pixels.len == 2
	      && p.pixels.p[0] == 0 && p.pixels.p[1] == 0, "png of no rows: one black pixel");
	free(b.p);
	free(p.pixels.p);
}

/* A 300x300 image of noise compresses to more than one IDAT chunk. */
static void test_png_chunks(void)
{
	size_t n = 300 * 300;
	float *v = malloc(n * sizeof *v);
	vae_write_opts o = vae_write_defaults();
	vae_rng r;
	int rc;

	vae_rng_seed(&r, 3);
	for (size_t i = 0; i < n; i++)
		v[i] = (float)vae_rng_uniform(&r);
	v[0] = 0;
	v[1] = 1;
	o.format = VAE_FMT_PNG;
	o.image_h = o.image_w = 300;
	buf b = write_rows(&o, v, 1, n, &rc);
	png p = png_read(b);
	CHECK(rc == 0 && p.order_ok && p.crc_ok && p.n_idat > 1 && p.w == 304 && p.h == 304,
	      "png: one zlib stream over %d IDAT chunks, each CRC right", p.n_idat);
	CHECK(pixels_ok(&p, v, 1, 300, 300, 1, 0, 1), "png: 300x300 pixels round-trip");
	free(v);
	free(b.p);
	free(p.pixels.p);
}

/* ======================================================================
 * Refusals and failures
 * ==================================================================== */

/* Rows 1 and 3 are kept around a refused row 2. */
static void test_refused_row(int text)
{
	static const float v[] = { 1, 2, 3, 4, 5 };
	static const float kept[] = { 1, 2, 4, 5 };
	vae_write_opts o = vae_write_defaults();
	vae_err e = { 0 };
	FILE *f = tmpfile();
	vae_writer *w;
	int rc;

	o.format = VAE_FMT_NPY;
	o.compress = 0;
	w = vae_writer_new(f, &o, &e);
	vae_write_float(w, v[0]);
	vae_write_float(w, v[1]);
	CHECK(vae_write_end(w, &e) == 0, "npy: first row");
	if (text)
		vae_write_text(w, "x", 1);
	vae_write_float(w, 9);
	vae_write_float(w, 9);
	if (!text)
		vae_write_float(w, 3);
	rc = vae_write_end(w, &e);
	if (text)
		CHECK(rc == VAE_EPARAM && !strcmp(e.msg, "npy output holds numbers only: "
		      "pass-through columns need csv or tsv") && e.about == VAE_ABOUT_KEEP,
		      "npy: a text field is refused: %s", e.msg);
	else
		CHECK(rc == VAE_EPARAM && strstr(e.msg, "a row of 3 values after rows of 2"),
		      "npy: a wider row is refused: %s", e.msg);
	vae_write_float(w, v[3]);
	vae_write_float(w, v[4]);
	CHECK(vae_write_end(w, &e) == 0 && vae_writer_free(w, &e) == 0, "npy: a row after a refused one");
	buf b = slurp(f);
	npy_ok(b, kept, 2, 2, text ? "npy after a text field" : "npy after a wider row");
	free(b.p);
	fclose(f);
}

static void test_refusals(void)
{
	vae_write_opts o = vae_write_defaults();
	vae_err e = { 0 };
	float v[10] = { 0 };
	vae_writer *w;
	int rc;

	test_refused_row(1);
	test_refused_row(0);
	o.format = VAE_FMT_PNG;
	w = vae_writer_new(stdout, &o, &e);
	CHECK(!w && e.code == VAE_EPARAM && !strcmp(e.msg, "png output needs an image shape")
	      && e.about == VAE_ABOUT_IMAGE,
	      "png without a shape is refused: %s", e.msg);
	o.image_h = o.image_w = 28;
	FILE *f = tmpfile();
	w = vae_writer_new(f, &o, &e);
	for (int i = 0; i < 10; i++)
		vae_write_float(w, v[i]);
	rc = vae_write_end(w, &e);
	CHECK(rc == VAE_EPARAM && !strcmp(e.msg, "rows of 10 values do not fill 28x28 images"),
	      "png: a row that is not one image is refused: %s", e.msg);
	vae_writer_free(w, NULL);
	fclose(f);
	o = vae_write_defaults();
	o.format = VAE_FMT_IDX;
	o.compress = 10;
	e.code = 0;
	CHECK(!vae_writer_new(stdout, &o, &e) && e.code == VAE_EPARAM, "compress 10 is refused: %s", e.msg);
}

/* A full disk shows at vae_writer_free, as VAE_EIO with errno ENOSPC. */
static void test_full(void)
{
	static const int fmt[] = { VAE_FMT_CSV, VAE_FMT_NPY, VAE_FMT_IDX, VAE_FMT_PNG };
	static const char *name[] = { "csv", "npy", "idx", "png" };
	float v[6] = { 1, 2, 3, 4, 5, 6 };

	for (int i = 0; i < 4; i++) {
		vae_write_opts o = vae_write_defaults();
		vae_err e = { 0 };
		FILE *f = fopen("/dev/full", "w");
		vae_writer *w;
		int rc = 0;

		if (!f)
			return;             /* no /dev/full here */
		o.format = fmt[i];
		o.image_h = 2;
		o.image_w = 3;
		w = vae_writer_new(f, &o, &e);
		for (int r = 0; r < 2; r++) {
			for (int c = 0; c < 6; c++)
				vae_write_float(w, v[c]);
			rc = rc ? rc : vae_write_end(w, &e);
		}
		int fr = vae_writer_free(w, rc ? NULL : &e);
		rc = rc ? rc : fr;
		CHECK(rc == VAE_EIO && e.sys == ENOSPC, "%s to /dev/full: VAE_EIO, ENOSPC (%d, %s)",
		      name[i], rc, strerror(e.sys));
		fclose(f);
	}
}

/* ---- floats as %.*g prints them ---- */

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A float of one of four kinds, by turns: any bit pattern (subnormals,
 * huge, NaN, inf), a decimal with three places, within 3 ulps of a power
 * of ten, and a dyadic fraction (ties at some precision). */
static float test_float(uint64_t *s, long i)
{
	uint32_t u;
	float v, p;

	switch (i % 4) {
	case 0:
		u = (uint32_t)xorshift(s);
		memcpy(&v, &u, sizeof v);
		return v;
	case 1:
		return (float)((double)(xorshift(s) % 2000001) / 1000.0 - 1000);
	case 2:
		p = powf(10, (float)((int)(xorshift(s) % 60) - 30));
		memcpy(&u, &p, sizeof u);
		u += (uint32_t)(xorshift(s) % 7) - 3;
		memcpy(&v, &u, sizeof v);
		return v;
	default:
		return (float)((double)(xorshift(s) % 100000) / (double)(1u << (xorshift(s) % 20)));
	}
}

/* vi_format_float against snprintf, byte for byte, at every precision. */
static void test_format(void)
{
	static const float SPECIAL[] = { 0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 2.5f, 9.5f, 0.125f,
	                                 9.9999995f, 99999.95f, 1e-5f, 1e-4f, 123456.5f,
	                                 1e7f, 16777216.0f, 3.4028235e38f, 1.17549435e-38f,
	                                 1e-45f, INFINITY, -INFINITY, NAN };
	const long n = 200000;
	long bad = 0, tried = 0;
	uint64_t s = 88172645463325252ULL;
	char got[64], want[64], first[160] = "";

	for (long i = 0; i < n + (long)(sizeof SPECIAL / sizeof *SPECIAL); i++) {
		float v = i < n ? test_float(&s, i) : SPECIAL[i - n];
		for (int p = 1; p <= 17; p++, tried++) {
			int len = vi_format_float(got, v, p);
			snprintf(want, sizeof want, "%.*g", p, (double)v);
			if (strcmp(got, want) || len != (int)strlen(want)) {
				if (!bad++)
					snprintf(first, sizeof first, ": %a at %d gives %s, not %s",
					         (double)v, p, got, want);
			}
		}
	}
	CHECK(bad == 0, "vi_format_float as %%.*g, %ld floats x precisions 1-17: %ld differ%s",
	      tried / 17, bad, first);
}

/* A writer discarded after a failure writes no binary byte; text rows
 * already written stay.  A PNG whose declared width no image fills is
 * refused at creation, before any byte. */
static void test_discard(void)
{
	static const int FORMATS[] = { VAE_FMT_NPY, VAE_FMT_IDX, VAE_FMT_PNG, VAE_FMT_CSV };
	vae_write_opts o = vae_write_defaults();
	vae_err e = { 0 };

	for (size_t i = 0; i < sizeof FORMATS / sizeof *FORMATS; i++) {
		FILE *f = tmpfile();
		vae_writer *w;
		buf b;
		o.format = FORMATS[i];
		o.image_h = o.image_w = 1;
		w = vae_writer_new(f, &o, &e);
		vae_write_float(w, 1.5f);
		vae_write_end(w, &e);
		vae_writer_discard(w);
		b = slurp(f);
		CHECK(o.format == VAE_FMT_CSV ? b.len == 4 && !memcmp(b.p, "1.5\n", 4) : b.len == 0,
		      "discard %s: %zu bytes written", vae_names(VAE_NAMES_FORMAT, NULL)[o.format], b.len);
		free(b.p);
		fclose(f);
	}
	o.format = VAE_FMT_PNG;
	o.image_h = 100;
	o.image_w = 100;
	o.width = 1;
	CHECK(!vae_writer_new(stdout, &o, &e) && e.code == VAE_EPARAM && e.about == VAE_ABOUT_IMAGE
	      && strstr(e.msg, "rows of 1 values do not fill 100x100 images"),
	      "png: a declared width no image fills is refused at creation: \"%s\"", e.msg);
	o.width = 10000;
	{
		vae_writer *w = vae_writer_new(stdout, &o, &e);
		CHECK(w != NULL, "png: a declared width that fills the image is taken: \"%s\"", e.msg);
		vae_writer_discard(w);
	}
}

int main(void)
{
	test_format();
	test_text();
	test_npy();
	test_npy_long();
	test_idx();
	test_png_sizes();
	test_png_range();
	test_png_chunks();
	test_refusals();
	test_full();
	test_discard();
	return check_failed;
}
