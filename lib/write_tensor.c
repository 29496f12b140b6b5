/* write_tensor.c: rows spooled to a temporary file, then written as NPY or
 * IDX (both gzip-compressed or plain) or as a PNG grid of images. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <zlib.h>

#include "internal.h"

#define BLOCK 65536             /* bytes per compressed block and per spool read */
#define GAP 2                   /* png: black pixels between and around the tiles */
#define PNG_MAX 0x7fffffffu     /* png: the largest width and height */

static const unsigned char NPY_MAGIC[8] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0 };
static const unsigned char PNG_SIG[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

/* ======================================================================
 * The binary writer
 * ==================================================================== */

/* Rows are spooled as native floats until vi_binary_finish: the headers
 * hold the row count, and png's range is known only at the end. */
struct vi_binary {
	FILE *fp;
	int format;
	FILE *spool;
	int spool_errno;            /* errno of the first failed spool write */
	size_t width, n_fields;     /* of the first row; of the row being built */
	uint64_t rows;              /* rows accepted into the spool */
	int has_text;               /* the row being built has a text field */
	int level;                  /* deflate level, 0: plain */
	size_t image_h, image_w;
	size_t tiles;           /* across, or 0 for a square */
	float lo, hi;               /* png range from the options; lo >= hi: seen */
	float min, max, row_min, row_max;  /* finite values seen: all, this row */
	int seen, row_seen;
	z_stream z;
	int deflating;
	unsigned char *zout;        /* BLOCK bytes of compressed output */
	unsigned char *buf;         /* BLOCK bytes read back from the spool */
};

const char *vi_binary_check(const vae_write_opts *o, int *about)
{
	if (o->compress < 0 || o->compress > 9)
		return "compression level must be 0 to 9";
	if (o->format != VAE_FMT_PNG)
		return NULL;
	*about = VAE_ABOUT_IMAGE;
	if (!o->image_h || !o->image_w)
		return "png output needs an image shape";
	if (o->image_h > PNG_MAX - 2 * GAP || o->image_w > PNG_MAX - 2 * GAP)
		return "the image shape is too large for png";
	return NULL;
}

vi_binary *vi_binary_new(FILE *fp, int format, const vae_write_opts *o, vae_err *e)
{
	vi_binary *w;

	/* A declared width that no image fills would refuse every row: say so
	 * before the first byte, not after a grid of no images. */
	if (format == VAE_FMT_PNG && o->width
	    && (o->width % o->image_w || o->width / o->image_w != o->image_h)) {
		vi_about(e, VAE_ABOUT_IMAGE, vi_fail(e, VAE_EPARAM, NULL, 0, 0, "rows of %zu values do "
		         "not fill %zux%zu images", o->width, o->image_w, o->image_h));
		return NULL;
	}
	if (!(w = calloc(1, sizeof *w))) {
		vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate a writer");
		return NULL;
	}
	w->fp = fp;
	w->format = format;
	w->image_h = o->image_h;
	w->image_w = o->image_w;
	w->tiles = o->tiles;
	w->width = o->width;
	w->lo = o->lo;
	w->hi = o->hi;
	w->level = o->compress;
	if (w->format == VAE_FMT_PNG && w->level == 0)
		w->level = 6;           /* png has no uncompressed form */
	if (!(w->zout = malloc(BLOCK)) || !(w->buf = malloc(BLOCK)))
		vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate a writer");
	else if (!(w->spool = tmpfile()))
		vi_fail(e, VAE_EIO, NULL, 0, 0, "cannot create a temporary file for the rows");
	else
		return w;
	vi_binary_free(w);
	return NULL;
}

void vi_binary_free(vi_binary *w)
{
	if (!w)
		return;
	if (w->deflating)
		deflateEnd(&w->z);
	if (w->spool)
		fclose(w->spool);
	free(w->zout);
	free(w->buf);
	free(w);
}

/* ======================================================================
 * Binary rows: the spool
 * ==================================================================== */

void vi_binary_text(vi_binary *w)
{
	w->has_text = 1;
}

void vi_binary_float(vi_binary *w, float v)
{
	w->n_fields++;
	if (!w->spool_errno && fwrite(&v, sizeof v, 1, w->spool) != 1)
		w->spool_errno = errno ? errno : EIO;
	if (!isfinite(v))
		return;                 /* the png range comes from finite values */
	w->row_min = w->row_seen && w->row_min < v ? w->row_min : v;
	w->row_max = w->row_seen && w->row_max > v ? w->row_max : v;
	w->row_seen = 1;
}

/* The png grid of n images: w->tiles across, or ceil(sqrt(n)), as many
 * rows of tiles as needed, GAP black pixels between and around them.  No images:
 * one black pixel.  @return 0, or -1 when it exceeds png's limits. */
typedef struct png_grid {
	uint64_t across, down;      /* tiles */
	uint64_t width, height;     /* pixels */
} png_grid;

static int png_layout(const vi_binary *w, uint64_t n, png_grid *g)
{
	uint64_t a = (uint64_t)sqrt((double)n);

	while (a * a < n)           /* sqrt() in double may be off by one */
		a++;
	while (a && (a - 1) * (a - 1) >= n)
		a--;
	a = w->tiles && n ? w->tiles : a;
	g->across = a;
	g->down = a ? (n + a - 1) / a : 0;
	g->width = g->height = 1;
	if (n == 0)
		return 0;
	if (a > (PNG_MAX - GAP) / (w->image_w + GAP) || g->down > (PNG_MAX - GAP) / (w->image_h + GAP))
		return -1;
	g->width = GAP + a * (w->image_w + GAP);
	g->height = GAP + g->down * (w->image_h + GAP);
	return 0;
}

/* @return 0 when the row being ended can join the spool, else why not. */
static int check_row(const vi_binary *w, vae_err *e)
{
	const char *f = vae_names(VAE_NAMES_FORMAT, NULL)[w->format];   /* npy, idx or png */
	png_grid g;

	if (w->has_text)
		return vi_about(e, VAE_ABOUT_KEEP, vi_fail(e, VAE_EPARAM, NULL, 0, 0,
		                "%s output holds numbers only: pass-through columns need csv or tsv", f));
	if (w->format == VAE_FMT_PNG && w->n_fields != w->image_h * w->image_w)
		return vi_about(e, VAE_ABOUT_IMAGE, vi_fail(e, VAE_EPARAM, NULL, 0, 0,
		                "rows of %zu values do not fill %zux%zu images",
		                w->n_fields, w->image_w, w->image_h));
	if (w->n_fields == 0)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "%s output cannot hold an empty row", f);
	if ((w->rows || w->width) && w->n_fields != w->width)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "a row of %zu values after rows of %zu: "
		                "%s output holds rows of one width", w->n_fields, w->width, f);
	if (w->format == VAE_FMT_IDX && (w->rows >= UINT32_MAX || w->n_fields > UINT32_MAX))
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "idx output holds at most %" PRIu32
		                " rows and columns", UINT32_MAX);
	if (w->format == VAE_FMT_PNG && png_layout(w, w->rows + 1, &g))
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "%" PRIu64 " images of %zux%zu do not fit "
		                "in one png", w->rows + 1, w->image_w, w->image_h);
	return 0;
}

/* Keep the row, or drop it by moving the spool back to its start, so the
 * rows before a refused one are still written. */
int vi_binary_end(vi_binary *w, vae_err *e)
{
	int rc = check_row(w, e);

	if (!rc && w->spool_errno) {
		errno = w->spool_errno;
		rc = vi_fail(e, VAE_EIO, NULL, 0, 0, "cannot write the rows to a temporary file");
	}
	if (rc) {
		off_t start = (off_t)(w->rows * w->width * sizeof(float));
		if (fseeko(w->spool, start, SEEK_SET) && !w->spool_errno)
			w->spool_errno = errno;
	} else {
		w->width = w->n_fields;
		w->rows++;
		if (w->row_seen) {
			w->min = w->seen && w->min < w->row_min ? w->min : w->row_min;
			w->max = w->seen && w->max > w->row_max ? w->max : w->row_max;
			w->seen = 1;
		}
	}
	w->n_fields = 0;
	w->has_text = w->row_seen = 0;
	return rc;
}

/* Read the next n floats of the spool into dst. */
static int spool_read(vi_binary *w, void *dst, size_t n, vae_err *e)
{
	if (fread(dst, sizeof(float), n, w->spool) == n)
		return 0;
	if (!ferror(w->spool))
		errno = EIO;            /* shorter than what was spooled */
	return vi_fail(e, VAE_EIO, NULL, 0, 0, "cannot read back the temporary file of the rows");
}

/* ======================================================================
 * Output bytes: plain, gzip (npy, idx) or zlib in IDAT chunks (png)
 * ==================================================================== */

static void le(unsigned char *out, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (unsigned char)(v >> (8 * i));
}

static void be(unsigned char *out, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
}

static int put_bytes(vi_binary *w, const void *p, size_t n, vae_err *e)
{
	if (n && fwrite(p, 1, n, w->fp) != n)
		return vi_fail(e, VAE_EIO, NULL, 0, 0, "cannot write the output");
	return 0;
}

/* A png chunk: length, type, data, then the CRC-32 of type and data. */
static int png_chunk(vi_binary *w, const char *type, const unsigned char *p, size_t n,
                     vae_err *e)
{
	unsigned char head[8], tail[4];
	uLong crc = crc32(0L, (const Bytef *)type, 4);

	if (n)                      /* crc32(crc, NULL, 0) would return 0 */
		crc = crc32(crc, p, (uInt)n);
	be(head, n, 4);
	memcpy(head + 4, type, 4);
	be(tail, crc, 4);
	if (put_bytes(w, head, 8, e) || put_bytes(w, p, n, e) || put_bytes(w, tail, 4, e))
		return VAE_EIO;
	return 0;
}

/* windowBits 15 + 16 asks deflate for a gzip wrapper, 15 for zlib's. */
static int z_start(vi_binary *w, int window_bits, vae_err *e)
{
	if (deflateInit2(&w->z, w->level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot start the compressor");
	w->deflating = 1;
	w->z.next_out = w->zout;
	w->z.avail_out = BLOCK;
	return 0;
}

/* Send the compressed bytes held: to fp for gzip; as one IDAT chunk for png,
 * since a png's zlib stream may span any number of IDAT chunks. */
static int z_emit(vi_binary *w, vae_err *e)
{
	size_t n = BLOCK - w->z.avail_out;
	int rc = 0;

	if (n)
		rc = w->format == VAE_FMT_PNG ? png_chunk(w, "IDAT", w->zout, n, e)
		                              : put_bytes(w, w->zout, n, e);
	w->z.next_out = w->zout;
	w->z.avail_out = BLOCK;
	return rc;
}

/* Write n bytes through the compressor (or plain when none is started);
 * flush Z_FINISH ends the compressed stream.  Output leaves in full blocks. */
static int out_write(vi_binary *w, unsigned char *p, size_t n, int flush, vae_err *e)
{
	int zr, rc = 0;

	if (!w->deflating)
		return put_bytes(w, p, n, e);
	w->z.next_in = p;
	w->z.avail_in = (uInt)n;
	do {
		zr = deflate(&w->z, flush);
		if (zr == Z_STREAM_ERROR) {
			errno = 0;
			return vi_fail(e, VAE_EIO, NULL, 0, 0, "cannot compress the output");
		}
		if (w->z.avail_out == 0 || zr == Z_STREAM_END)
			rc = z_emit(w, e);
	} while (!rc && (w->z.avail_in || (flush == Z_FINISH && zr != Z_STREAM_END)));
	return rc;
}

/* ======================================================================
 * NPY and IDX
 * ==================================================================== */

/* The spooled floats, block by block, as 4-byte words in the format's byte
 * order; then the end of the compressed stream. */
static int copy_floats(vi_binary *w, int big_endian, vae_err *e)
{
	uint64_t left = w->rows * w->width;
	int rc = 0;

	while (left && !rc) {
		size_t n = left < BLOCK / 4 ? (size_t)left : BLOCK / 4;
		rc = spool_read(w, w->buf, n, e);
		for (size_t i = 0; i < n && !rc; i++) {
			uint32_t u;
			memcpy(&u, w->buf + 4 * i, 4);
			if (big_endian)
				be(w->buf + 4 * i, u, 4);
			else
				le(w->buf + 4 * i, u, 4);
		}
		rc = rc ? rc : out_write(w, w->buf, 4 * n, Z_NO_FLUSH, e);
		left -= n;
	}
	return rc ? rc : out_write(w, NULL, 0, Z_FINISH, e);
}

/* Magic, version 1.0, the header length (u16 LE), then a Python dict
 * padded with spaces and ended by '\n' so the data starts at a multiple of
 * 64 bytes, as the NPY spec asks. */
static int write_npy(vi_binary *w, vae_err *e)
{
	unsigned char h[256];
	size_t len;
	int n, rc;

	if (w->level && (rc = z_start(w, 15 + 16, e)))
		return rc;
	memcpy(h, NPY_MAGIC, sizeof NPY_MAGIC);
	n = snprintf((char *)h + 10, sizeof h - 10, "{'descr': '<f4', 'fortran_order': False, "
	             "'shape': (%" PRIu64 ", %zu), }", w->rows, w->width);
	len = (10 + (size_t)n + 1 + 63) / 64 * 64;
	memset(h + 10 + n, ' ', len - 11 - (size_t)n);
	h[len - 1] = '\n';
	le(h + 8, len - 10, 2);
	if ((rc = out_write(w, h, len, Z_NO_FLUSH, e)))
		return rc;
	return copy_floats(w, 0, e);
}

/* 00 00, type 0x0D (float32), 2 dimensions, each a u32 BE; data BE. */
static int write_idx(vi_binary *w, vae_err *e)
{
	unsigned char h[12] = { 0, 0, 0x0D, 2 };
	int rc;

	if (w->level && (rc = z_start(w, 15 + 16, e)))
		return rc;
	be(h + 4, w->rows, 4);
	be(h + 8, w->width, 4);
	if ((rc = out_write(w, h, sizeof h, Z_NO_FLUSH, e)))
		return rc;
	return copy_floats(w, 1, e);
}

/* ======================================================================
 * PNG: a grid of grey images, one band of tiles in memory at a time
 * ==================================================================== */

/* round(255 (v - lo) / (hi - lo)) clamped to 0..255; NaN and an empty
 * range are black. */
static unsigned char pixel(float v, float lo, float hi)
{
	double t = 255.0 * ((double)v - lo) / ((double)hi - lo);

	if (!(hi > lo) || !(t > 0))
		return 0;
	return t >= 255 ? 255 : (unsigned char)round(t);
}

/* Fill band (image_h scanlines of 1 + width bytes, filter byte 0) with
 * tile row t, read in turn from the spool; cells past the last row black. */
static int png_band(vi_binary *w, const png_grid *g, uint64_t t, unsigned char *band,
                    float *line, vae_err *e)
{
	size_t stride = (size_t)g->width + 1, iw = w->image_w;
	int rc = 0;

	memset(band, 0, w->image_h * stride);
	for (uint64_t c = 0; c < g->across && t * g->across + c < w->rows && !rc; c++) {
		unsigned char *px = band + 1 + GAP + c * (iw + GAP);
		for (size_t y = 0; y < w->image_h && !rc; y++) {
			rc = spool_read(w, line, iw, e);
			for (size_t x = 0; x < iw && !rc; x++)
				px[y * stride + x] = pixel(line[x], w->lo, w->hi);
		}
	}
	return rc;
}

/* Every scanline through one zlib stream: a black gap before each band of
 * tiles and after the last. */
static int png_pixels(vi_binary *w, const png_grid *g, vae_err *e)
{
	size_t stride = (size_t)g->width + 1;
	unsigned char *band = malloc(w->image_h * stride), *black = calloc(stride, 1);
	float *line = malloc(w->image_w * sizeof *line);
	int rc = band && black && line ? 0
	       : vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate a row of png tiles");

	for (uint64_t t = 0; t < g->down && !rc; t++) {
		for (int k = 0; k < GAP && !rc; k++)
			rc = out_write(w, black, stride, Z_NO_FLUSH, e);
		rc = rc ? rc : png_band(w, g, t, band, line, e);
		for (size_t y = 0; y < w->image_h && !rc; y++)
			rc = out_write(w, band + y * stride, stride, Z_NO_FLUSH, e);
	}
	/* The bottom margin; with no images, the one black pixel's scanline. */
	for (int k = 0; k < (w->rows ? GAP : 1) && !rc; k++)
		rc = out_write(w, black, stride, Z_NO_FLUSH, e);
	rc = rc ? rc : out_write(w, NULL, 0, Z_FINISH, e);
	free(band);
	free(black);
	free(line);
	return rc;
}

/* Signature, IHDR (8-bit grey, no interlace), IDAT chunks, IEND. */
static int write_png(vi_binary *w, vae_err *e)
{
	unsigned char ihdr[13] = { 0 };
	png_grid g;
	int rc;

	png_layout(w, w->rows, &g);     /* fits: vi_binary_end refused rows that would not */
	if (!(w->lo < w->hi)) {
		w->lo = w->seen ? w->min : 0;
		w->hi = w->seen ? w->max : 0;
	}
	be(ihdr, g.width, 4);
	be(ihdr + 4, g.height, 4);
	ihdr[8] = 8;                    /* bit depth; colour type 0 is grey */
	if ((rc = put_bytes(w, PNG_SIG, sizeof PNG_SIG, e))
	    || (rc = png_chunk(w, "IHDR", ihdr, sizeof ihdr, e))
	    || (rc = z_start(w, 15, e)) || (rc = png_pixels(w, &g, e)))
		return rc;
	return png_chunk(w, "IEND", NULL, 0, e);
}

/* Headers hold the row count, known only now: write it, then the spool.
 * Nothing is written before this call, so a run that fails and does not
 * call it leaves no output at all, never a file that parses as complete. */
int vi_binary_finish(vi_binary *w, vae_err *e)
{
	if (w->spool_errno) {
		errno = w->spool_errno;
		return vi_fail(e, VAE_EIO, NULL, 0, 0, "cannot write the rows to a temporary file");
	}
	if (fseeko(w->spool, 0, SEEK_SET))
		return vi_fail(e, VAE_EIO, NULL, 0, 0, "cannot read back the temporary file of the rows");
	if (w->format == VAE_FMT_NPY)
		return write_npy(w, e);
	if (w->format == VAE_FMT_IDX)
		return write_idx(w, e);
	return write_png(w, e);
}
