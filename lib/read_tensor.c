/* read_tensor.c: NumPy .npy and IDX tensors, read row by row. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "read.h"

/* ======================================================================
 * Headers
 * ==================================================================== */

static uint64_t get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static uint64_t get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Rows of width values from a shape; @return 0 or the error code. */
static int set_shape(vae_reader *r, const uint64_t *dims, int rank)
{
	uint64_t width = 1;

	if (rank < 1)
		return vi_io_fail(r, 0, VAE_EDATA, "a 0-dimensional array holds no rows");
	for (int i = 1; i < rank; i++) {
		if (dims[i] && width > SIZE_MAX / 16 / dims[i])
			return vi_io_fail(r, 0, VAE_EDATA, "rows of more than %zu values", SIZE_MAX / 16);
		width *= dims[i];
	}
	if (width == 0)
		return vi_io_fail(r, 0, VAE_EDATA, "the rows hold no values (a dimension is 0)");
	r->t.rows = dims[0];
	r->n_fields = (size_t)width;
	if (rank == 3) {
		r->t.image_h = (uint32_t)dims[1];
		r->t.image_w = (uint32_t)dims[2];
	}
	r->in_first = 0;
	if (!(r->t.row = malloc(r->n_fields * (size_t)r->t.size)))
		return vi_io_fail(r, 0, VAE_ENOMEM, "cannot allocate a row of %zu values", r->n_fields);
	return 0;
}

static int too_short(vae_reader *r, const char *what, size_t need)
{
	if (r->rc)
		return r->rc;
	return vi_io_fail(r, 0, VAE_EDATA, "too short for its %s header: %zu bytes, it needs %zu",
	                   what, r->len - r->pos, need);
}

/* 'descr': '<f4' -> kind, size, byte order. */
static int npy_dtype(vae_reader *r, const char *d)
{
	const char *q = strstr(d, "'descr'");
	char order, kind;
	int size, n = 0;

	if (!q || sscanf(q, "'descr' : '%c%c%d'%n", &order, &kind, &size, &n) < 3 || !n)
		if (!q || sscanf(q, "'descr': '%c%c%d'%n", &order, &kind, &size, &n) < 3 || !n)
			return vi_io_fail(r, 0, VAE_EDATA, "bad NPY header: no 'descr' of a plain type");
	if (kind == 'b' && size == 1)
		kind = 'u';
	if (!strchr("<>|=", order) || !((kind == 'f' && (size == 4 || size == 8))
	    || ((kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8))))
		return vi_io_fail(r, 0, VAE_EDATA, "NPY dtype '%c%c%d' is not supported "
		                   "(float32/64 or integers)", order, kind, size);
	r->t.kind = kind;
	r->t.size = size;
	r->t.big_endian = order == '>';
	return 0;
}

/* 'fortran_order': False, 'shape': (60000, 28, 28) */
static int npy_shape(vae_reader *r, const char *d)
{
	const char *q = strstr(d, "'fortran_order'"), *s = strstr(d, "'shape'");
	uint64_t dims[32];
	int rank = 0;

	if (!q || !s || !(s = strchr(s, '(')))
		return vi_io_fail(r, 0, VAE_EDATA, "bad NPY header: no 'fortran_order' or 'shape'");
	q += strcspn(q, "TF");
	if (*q == 'T')
		return vi_io_fail(r, 0, VAE_EDATA, "NPY in Fortran order is not supported: save it in C order");
	for (s++; *s && *s != ')'; ) {
		char *end;
		uint64_t v = strtoull(s, &end, 10);
		if (end == s || rank == 32)
			return vi_io_fail(r, 0, VAE_EDATA, "bad NPY header: shape %.40s", strchr(d, '('));
		dims[rank++] = v;
		s = end + strspn(end, " ,");
	}
	return set_shape(r, dims, rank);
}

int vi_io_npy_header(vae_reader *r)
{
	size_t start, hlen;
	char dict[4096];

	if (vi_io_need(r, 10))
		return too_short(r, "NPY", 10);
	if (memcmp(r->buf, "\x93NUMPY", 6))
		return vi_io_fail(r, 0, VAE_EDATA, "not NPY data: bad magic (expected \\x93NUMPY)");
	if (r->buf[6] < 1 || r->buf[6] > 3)
		return vi_io_fail(r, 0, VAE_EDATA, "NPY version %d.%d is not supported", r->buf[6], r->buf[7]);
	start = r->buf[6] == 1 ? 10 : 12;
	if (vi_io_need(r, start))
		return too_short(r, "NPY", start);
	hlen = (size_t)get_le(r->buf + 8, r->buf[6] == 1 ? 2 : 4);
	if (hlen >= sizeof dict)
		return vi_io_fail(r, 0, VAE_EDATA, "NPY header of %zu bytes is too long", hlen);
	if (vi_io_need(r, start + hlen))
		return too_short(r, "NPY", start + hlen);
	memcpy(dict, r->buf + start, hlen);
	dict[hlen] = 0;
	r->pos = start + hlen;
	return npy_dtype(r, dict) || npy_shape(r, dict) ? r->rc : 0;
}

int vi_io_idx_header(vae_reader *r)
{
	static const struct { unsigned char type; char kind; int size; } TYPES[] = {
		{ 0x08, 'u', 1 }, { 0x09, 'i', 1 }, { 0x0B, 'i', 2 },
		{ 0x0C, 'i', 4 }, { 0x0D, 'f', 4 }, { 0x0E, 'f', 8 },
	};
	uint64_t dims[255];
	int rank, i;

	if (vi_io_need(r, 4))
		return too_short(r, "IDX", 4);
	for (i = 0; i < 6 && TYPES[i].type != r->buf[2]; i++)
		;
	if (r->buf[0] || r->buf[1] || i == 6 || r->buf[3] == 0)
		return vi_io_fail(r, 0, VAE_EDATA, "unknown magic %02x %02x %02x %02x: not IDX "
		                   "(00 00 type rank), NPY or text", r->buf[0], r->buf[1], r->buf[2], r->buf[3]);
	r->t.kind = TYPES[i].kind;
	r->t.size = TYPES[i].size;
	r->t.big_endian = 1;
	rank = r->buf[3];
	if (vi_io_need(r, 4 + 4 * (size_t)rank))
		return too_short(r, "IDX", 4 + 4 * (size_t)rank);
	for (i = 0; i < rank; i++)
		dims[i] = get_be(r->buf + 4 + 4 * i, 4);
	r->pos = 4 + 4 * (size_t)rank;
	return set_shape(r, dims, rank);
}

/* ======================================================================
 * Rows
 * ==================================================================== */

/* One element at p as a double. */
static double element(const io_tensor *t, const unsigned char *p)
{
	uint64_t u = t->big_endian ? get_be(p, t->size) : get_le(p, t->size);
	int bits = 8 * t->size;

	if (t->kind == 'f' && t->size == 4) {
		uint32_t b = (uint32_t)u;
		float f;
		memcpy(&f, &b, 4);
		return f;
	}
	if (t->kind == 'f') {
		double d;
		memcpy(&d, &u, 8);
		return d;
	}
	if (t->kind == 'i' && bits < 64 && (u >> (bits - 1)) & 1)
		return (double)(int64_t)(u | ~((UINT64_C(1) << bits) - 1));   /* sign-extend */
	return t->kind == 'i' ? (double)(int64_t)u : (double)u;
}

/* Copy the next n bytes of input to dst; @return 0, or -1 at the end. */
static int take(vae_reader *r, unsigned char *dst, size_t n)
{
	while (n > 0) {
		if (r->pos == r->len && (vi_io_refill(r) || r->eof))
			return -1;
		size_t k = r->len - r->pos < n ? r->len - r->pos : n;
		memcpy(dst, r->buf + r->pos, k);
		r->pos += k;
		dst += k;
		n -= k;
	}
	return 0;
}

/* The common rows at once, when no text is kept: bytes (IDX images) and
 * float32 in the host's byte order (NPY), a fifth of the time of the
 * general path's element by element.  @return 1 when done, 0 when not
 * such a row. */
static int tensor_row_fast(vae_reader *r)
{
	const io_tensor *t = &r->t;
	const unsigned char *p = t->row;
	float *x = r->n_cols ? r->x->x + r->row * r->n_cols : NULL;

	if (r->keep)
		return 0;
	if (t->kind == 'u' && t->size == 1) {
		for (size_t f = 0; f < r->n_fields; f++)
			if (r->col_of[f] >= 0)
				x[r->col_of[f]] = (float)p[f];
	} else if (t->kind == 'f' && t->size == 4 && t->big_endian == !vi_host_le()) {
		for (size_t f = 0; f < r->n_fields; f++) {
			float v;
			memcpy(&v, p + 4 * f, sizeof v);
			if (r->col_of[f] < 0)
				continue;
			if (!isfinite(v))
				return 0;       /* the general path says where */
			x[r->col_of[f]] = v;
		}
	} else {
		return 0;
	}
	vi_io_row_done(r);
	return 1;
}

static void tensor_row(vae_reader *r)
{
	io_tensor *t = &r->t;

	if (tensor_row_fast(r))
		return;
	for (size_t f = 0; f < r->n_fields && !r->rc; f++) {
		double v = element(t, t->row + f * (size_t)t->size);
		int j = r->col_of[f];
		char s[32];
		if (j >= 0 && !isfinite((float)v)) {   /* a double beyond float32 too */
			snprintf(s, sizeof s, "%.17g", v);
			vi_io_bad_value(r, f, 1, s);
		} else if (j >= 0) {
			r->x->x[r->row * r->n_cols + (size_t)j] = (float)v;
		}
		if (r->keep && (r->keep_of[f] >= 0 || r->keep_all)) {
			int n = snprintf(s, sizeof s, "%.17g", v);
			if (r->keep_of[f] >= 0)
				vi_io_keep(r, (size_t)r->keep_of[f], s, (size_t)n);
			if (r->keep_all)
				vi_io_keep(r, r->n_keep + f, s, (size_t)n);
		}
	}
	if (!r->rc)
		vi_io_row_done(r);
}

/* After the last row the input must end. */
static void check_end(vae_reader *r)
{
	r->finished = 1;
	if (r->pos < r->len || (!vi_io_refill(r) && !r->eof))
		vi_io_fail(r, 0, VAE_EDATA, "the data is longer than its header says "
		            "(%llu rows of %zu values)", (unsigned long long)r->t.rows, r->n_fields);
}

int vi_io_tensor_pump(vae_reader *r)
{
	io_tensor *t = &r->t;

	while (r->row < r->max && t->done < t->rows && !r->rc) {
		r->rec_line = t->done + 1;
		if (take(r, t->row, r->n_fields * (size_t)t->size)) {
			if (!r->rc)
				vi_io_fail(r, 0, VAE_EDATA, "truncated: the header says %llu rows of %zu "
				            "values, the data ends in row %llu", (unsigned long long)t->rows,
				            r->n_fields, (unsigned long long)t->done + 1);
			break;
		}
		tensor_row(r);
		t->done++;
	}
	if (!r->rc && t->done == t->rows && !r->finished) {
		r->rec_line = 0;
		check_end(r);
	}
	return r->rc;
}
