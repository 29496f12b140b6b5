/* read_tensor.c: NumPy .npy and IDX tensors, their headers and rows. */
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

static int take(vi_source *src, unsigned char *dst, size_t n);

/* bytes of input into *buf, grown as they arrive to at most double what
 * has: *have gets how many came.  @return 0; 1 when the input ended
 * first (or failed: see the fault); -1 out of memory. */
static int take_growing(vi_tensor *t, unsigned char **buf, size_t bytes, size_t *have)
{
	vi_source *src = t->src;
	size_t cap = 0;

	for (*have = 0; *have < bytes; ) {
		if (src->pos == src->len && (vi_source_refill(src) || src->eof))
			return 1;
		size_t k = src->len - src->pos < bytes - *have ? src->len - src->pos : bytes - *have;
		if (*have + k > cap) {
			unsigned char *p;
			cap = *have + k > bytes / 2 ? bytes : 2 * (*have + k);
			if (!(p = realloc(*buf, cap)))
				return -1;
			*buf = p;
		}
		take(src, *buf + *have, k);
		*have += k;
	}
	return 0;
}

/* The first row's bytes into t->row, the buffer grown as they arrive.
 *
 * A header's shape is a claim that a few bytes can make: 2^31 values a row
 * in a 164-byte file.  Nothing is sized from it until the data backs it:
 * the first row is read here, before the sink's n_fields is set (from
 * which the reader sizes its column maps), into a buffer that at most
 * doubles what has arrived, so memory follows the real data, not the
 * claim, for a file, a pipe or a gzip stream alike.  A row that legitimately
 * is wide (an NPY of a million columns that holds them) is read as before.
 * @return 0 or the error code. */
static int first_row(vi_tensor *t, size_t bytes)
{
	vi_fault *fault = &t->sink->fault;
	size_t have;
	int end;

	fault->line = 1;
	if ((end = take_growing(t, &t->row, bytes, &have)))
		return fault->rc ? fault->rc
		       : end > 0 ? vi_fault_set(fault, 0, VAE_EDATA, "truncated: the header says %llu "
		                                "rows of %zu values, the data ends in row 1",
		                                (unsigned long long)t->rows, bytes / (size_t)t->size)
		       : vi_fault_set(fault, 0, VAE_ENOMEM, "cannot allocate a row of %zu values",
		                      bytes / (size_t)t->size);
	fault->line = 0;
	t->primed = 1;
	return 0;
}

/* An array in Fortran order (the first index fastest) holds a row's
 * values apart, so the whole of it is read first, into memory that grows
 * with what arrives (as first_row's), and each row is gathered from it.
 * Field f, the C-order place of indices (j1 .. jk) in a row, is element
 * i + d0 (j1 + d1 (j2 + ...)) of row i. */
static int whole_array(vi_tensor *t, const uint64_t *dims, int rank, uint64_t width)
{
	vi_fault *fault = &t->sink->fault;
	size_t bytes, have;
	int end;

	if (t->rows > SIZE_MAX / 16 / width)
		return vi_fault_set(fault, 0, VAE_EDATA, "an array of %llu x %llu values is too large",
		                    (unsigned long long)t->rows, (unsigned long long)width);
	bytes = (size_t)(t->rows * width) * (size_t)t->size;
	if ((end = take_growing(t, &t->all, bytes, &have)))
		return fault->rc ? fault->rc
		       : end > 0 ? vi_fault_set(fault, 0, VAE_EDATA, "truncated: the header says %llu "
		                                "rows of %llu values, the data ends after %zu of %zu "
		                                "bytes", (unsigned long long)t->rows,
		                                (unsigned long long)width, have, bytes)
		       : vi_fault_set(fault, 0, VAE_ENOMEM, "cannot allocate an array of %zu bytes",
		                      bytes);
	/* the data is all here, and backs the width: its maps may be made */
	if (!(t->field_at = malloc((size_t)width * sizeof *t->field_at)))
		return vi_fault_set(fault, 0, VAE_ENOMEM, "cannot allocate a row of %llu values",
		                    (unsigned long long)width);
	uint64_t mult[32];      /* d0 d1 .. d(k-1): the step of index k */
	mult[1] = dims[0];
	for (int k = 2; k < rank; k++)
		mult[k] = mult[k - 1] * dims[k - 1];
	for (uint64_t f = 0; f < width; f++) {
		uint64_t rest = f, at = 0;
		for (int k = rank - 1; k >= 1; k--) {   /* C order: the last index fastest */
			at += rest % dims[k] * mult[k];
			rest /= dims[k];
		}
		t->field_at[f] = at;
	}
	if (!(t->row = malloc((size_t)width * (size_t)t->size)))
		return vi_fault_set(fault, 0, VAE_ENOMEM, "cannot allocate a row of %llu values",
		                    (unsigned long long)width);
	return 0;
}

/* Row i of a Fortran-order array into t->row. */
static void gather_row(vi_tensor *t, uint64_t i, size_t width)
{
	size_t size = (size_t)t->size;

	for (size_t f = 0; f < width; f++)
		memcpy(t->row + f * size, t->all + (i + t->field_at[f]) * size, size);
}

/* Rows of width values from a shape; @return 0 or the error code. */
static int set_shape(vi_tensor *t, const uint64_t *dims, int rank)
{
	vi_fault *fault = &t->sink->fault;
	uint64_t width = 1;

	if (rank < 1)
		return vi_fault_set(fault, 0, VAE_EDATA, "a 0-dimensional array holds no rows");
	for (int i = 1; i < rank; i++) {
		if (dims[i] && width > SIZE_MAX / 16 / dims[i])
			return vi_fault_set(fault, 0, VAE_EDATA, "rows of more than %zu values", SIZE_MAX / 16);
		width *= dims[i];
	}
	if (width == 0)
		return vi_fault_set(fault, 0, VAE_EDATA, "the rows hold no values (a dimension is 0)");
	t->rows = dims[0];
	if (rank == 3) {
		t->image_h = (uint32_t)dims[1];
		t->image_w = (uint32_t)dims[2];
	}
	/* No rows: no data will ever back the width, so it is believed only
	 * as far as one block of input, the reader's own size, would hold it. */
	if (t->rows == 0 && width * (uint64_t)t->size > VI_SOURCE_BLOCK)
		return vi_fault_set(fault, 0, VAE_EDATA, "the header says 0 rows of %llu values: "
		                    "no data backs so wide a row", (unsigned long long)width);
	if (t->rows > 0 && (t->fortran ? whole_array(t, dims, rank, width)
	                                : first_row(t, (size_t)width * (size_t)t->size)))
		return fault->rc;
	t->sink->n_fields = (size_t)width;
	return 0;
}

static int too_short(vi_tensor *t, const char *what, size_t need)
{
	const vi_source *src = t->src;

	if (src->fault->rc)
		return src->fault->rc;
	return vi_fault_set(src->fault, 0, VAE_EDATA, "too short for its %s header: %zu bytes, "
	                    "it needs %zu", what, src->len - src->pos, need);
}

/* 'descr': '<f4' -> kind, size, byte order. */
static int npy_dtype(vi_tensor *t, const char *d)
{
	vi_fault *fault = &t->sink->fault;
	const char *q = strstr(d, "'descr'");
	char order, kind;
	int size, n = 0;

	if (!q || sscanf(q, "'descr' : '%c%c%d'%n", &order, &kind, &size, &n) < 3 || !n)
		if (!q || sscanf(q, "'descr': '%c%c%d'%n", &order, &kind, &size, &n) < 3 || !n)
			return vi_fault_set(fault, 0, VAE_EDATA, "bad NPY header: no 'descr' of a plain type");
	if (kind == 'b' && size == 1)
		kind = 'u';
	if (!strchr("<>|=", order) || !((kind == 'f' && (size == 4 || size == 8))
	    || ((kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8))))
		return vi_fault_set(fault, 0, VAE_EDATA, "NPY dtype '%c%c%d' is not supported "
		                    "(float32/64 or integers)", order, kind, size);
	t->kind = kind;
	t->size = size;
	t->big_endian = order == '>';
	return 0;
}

/* 'fortran_order': False, 'shape': (60000, 28, 28) */
static int npy_shape(vi_tensor *t, const char *d)
{
	vi_fault *fault = &t->sink->fault;
	const char *q = strstr(d, "'fortran_order'"), *s = strstr(d, "'shape'");
	uint64_t dims[32];
	int rank = 0;

	if (!q || !s || !(s = strchr(s, '(')))
		return vi_fault_set(fault, 0, VAE_EDATA, "bad NPY header: no 'fortran_order' or 'shape'");
	q += strcspn(q, "TF");
	t->fortran = *q == 'T';
	for (s++; *s && *s != ')'; ) {
		char *end;
		uint64_t v = strtoull(s, &end, 10);
		if (end == s || rank == 32)
			return vi_fault_set(fault, 0, VAE_EDATA, "bad NPY header: shape %.40s", strchr(d, '('));
		dims[rank++] = v;
		s = end + strspn(end, " ,");
	}
	return set_shape(t, dims, rank);
}

int vi_npy_header(vi_tensor *t, vi_source *src, vi_sink *sink)
{
	const unsigned char *b;
	size_t start, hlen;
	char dict[4096];

	t->src = src;
	t->sink = sink;
	if (vi_source_need(src, 10))
		return too_short(t, "NPY", 10);
	b = src->buf;
	if (memcmp(b, "\x93NUMPY", 6))
		return vi_fault_set(src->fault, 0, VAE_EDATA, "not NPY data: bad magic (expected \\x93NUMPY)");
	if (b[6] < 1 || b[6] > 3)
		return vi_fault_set(src->fault, 0, VAE_EDATA, "NPY version %d.%d is not supported", b[6], b[7]);
	start = b[6] == 1 ? 10 : 12;
	if (vi_source_need(src, start))
		return too_short(t, "NPY", start);
	hlen = (size_t)get_le(src->buf + 8, src->buf[6] == 1 ? 2 : 4);
	if (hlen >= sizeof dict)
		return vi_fault_set(src->fault, 0, VAE_EDATA, "NPY header of %zu bytes is too long", hlen);
	if (vi_source_need(src, start + hlen))
		return too_short(t, "NPY", start + hlen);
	memcpy(dict, src->buf + start, hlen);
	dict[hlen] = 0;
	src->pos = start + hlen;
	t->data_at = src->pos;
	return npy_dtype(t, dict) || npy_shape(t, dict) ? src->fault->rc : 0;
}

int vi_idx_header(vi_tensor *t, vi_source *src, vi_sink *sink)
{
	static const struct { unsigned char type; char kind; int size; } TYPES[] = {
		{ 0x08, 'u', 1 }, { 0x09, 'i', 1 }, { 0x0B, 'i', 2 },
		{ 0x0C, 'i', 4 }, { 0x0D, 'f', 4 }, { 0x0E, 'f', 8 },
	};
	const unsigned char *b = src->buf;
	uint64_t dims[255];
	int rank, i;

	t->src = src;
	t->sink = sink;
	if (vi_source_need(src, 4))
		return too_short(t, "IDX", 4);
	for (i = 0; i < 6 && TYPES[i].type != b[2]; i++)
		;
	if (b[0] || b[1] || i == 6 || b[3] == 0)
		return vi_fault_set(src->fault, 0, VAE_EDATA, "unknown magic %02x %02x %02x %02x: not IDX "
		                    "(00 00 type rank), NPY or text", b[0], b[1], b[2], b[3]);
	t->kind = TYPES[i].kind;
	t->size = TYPES[i].size;
	t->big_endian = 1;
	rank = b[3];
	if (vi_source_need(src, 4 + 4 * (size_t)rank))
		return too_short(t, "IDX", 4 + 4 * (size_t)rank);
	for (i = 0; i < rank; i++)
		dims[i] = get_be(src->buf + 4 + 4 * i, 4);
	src->pos = 4 + 4 * (size_t)rank;
	t->data_at = src->pos;
	return set_shape(t, dims, rank);
}

void vi_tensor_free(vi_tensor *t)
{
	free(t->row);
	free(t->all);
	free(t->field_at);
}

/* ======================================================================
 * Rows
 * ==================================================================== */

double vi_tensor_value(char kind, int size, int big_endian, const unsigned char *p)
{
	uint64_t u = big_endian ? get_be(p, size) : get_le(p, size);
	int bits = 8 * size;

	if (kind == 'f' && size == 4) {
		uint32_t b = (uint32_t)u;
		float f;
		memcpy(&f, &b, 4);
		return f;
	}
	if (kind == 'f') {
		double d;
		memcpy(&d, &u, 8);
		return d;
	}
	if (kind == 'i' && bits < 64 && (u >> (bits - 1)) & 1)
		return (double)(int64_t)(u | ~((UINT64_C(1) << bits) - 1));   /* sign-extend */
	return kind == 'i' ? (double)(int64_t)u : (double)u;
}

/* One element at p as a double. */
static double element(const vi_tensor *t, const unsigned char *p)
{
	return vi_tensor_value(t->kind, t->size, t->big_endian, p);
}

/* Copy the next n bytes of input to dst; @return 0, or -1 at the end. */
static int take(vi_source *src, unsigned char *dst, size_t n)
{
	while (n > 0) {
		if (src->pos == src->len && (vi_source_refill(src) || src->eof))
			return -1;
		size_t k = src->len - src->pos < n ? src->len - src->pos : n;
		memcpy(dst, src->buf + src->pos, k);
		src->pos += k;
		dst += k;
		n -= k;
	}
	return 0;
}

/* The common rows at once, when no text is kept: bytes (IDX images) and
 * float32 in the host's byte order (NPY), a fifth of the time of the
 * general path's element by element.  @return 1 when done, 0 when not
 * such a row. */
static int tensor_row_fast(vi_tensor *t)
{
	vi_sink *k = t->sink;
	const unsigned char *p = t->row;
	float *x = k->n_cols ? k->x->x + k->row * k->n_cols : NULL;
	const int *col_of = k->col_of;

	if (k->keep || k->code)
		return 0;               /* kept text, or columns to check */
	if (t->kind == 'u' && t->size == 1) {
		for (size_t f = 0; f < k->n_fields; f++)
			if (col_of[f] >= 0)
				x[col_of[f]] = (float)p[f];
	} else if (t->kind == 'f' && t->size == 4 && t->big_endian == !vi_host_le()) {
		for (size_t f = 0; f < k->n_fields; f++) {
			float v;
			memcpy(&v, p + 4 * f, sizeof v);
			if (col_of[f] < 0)
				continue;
			if (!isfinite(v))
				return 0;       /* the general path says where */
			x[col_of[f]] = v;
		}
	} else {
		return 0;
	}
	vi_sink_row_done(k);
	return 1;
}

/* Value f of the row, printed as a kept field's text. */
static void keep_value(vi_sink *k, size_t f, double v)
{
	char s[32];
	int n = snprintf(s, sizeof s, "%.17g", v);

	if (k->keep_of[f] >= 0)
		vi_sink_keep(k, (size_t)k->keep_of[f], s, (size_t)n);
	if (k->keep_all)
		vi_sink_keep(k, k->n_keep + f, s, (size_t)n);
}

static void tensor_row(vi_tensor *t)
{
	vi_sink *k = t->sink;

	if (tensor_row_fast(t))
		return;
	for (size_t f = 0; f < k->n_fields && !k->fault.rc; f++) {
		double v = element(t, t->row + f * (size_t)t->size);
		if (k->col_of[f] >= 0)
			vi_sink_number(k, f, v);
		if (k->keep && (k->keep_of[f] >= 0 || k->keep_all))
			keep_value(k, f, v);
	}
	if (!k->fault.rc)
		vi_sink_row_done(k);
}

/* After the last row the input must end. */
static void check_end(vi_tensor *t)
{
	vi_source *src = t->src;

	t->finished = 1;
	if (src->pos < src->len || (!vi_source_refill(src) && !src->eof))
		vi_fault_set(src->fault, 0, VAE_EDATA, "the data is longer than its header says "
		             "(%llu rows of %zu values)", (unsigned long long)t->rows, t->sink->n_fields);
}

int vi_tensor_pump(vi_tensor *t)
{
	vi_sink *k = t->sink;
	vi_fault *fault = &k->fault;

	while (k->row < k->max && t->done < t->rows && !fault->rc) {
		fault->line = t->done + 1;
		if (t->primed) {
			t->primed = 0;  /* the first row, read with the header */
		} else if (t->fortran) {
			gather_row(t, t->done, k->n_fields);
		} else if (take(t->src, t->row, k->n_fields * (size_t)t->size)) {
			if (!fault->rc)
				vi_fault_set(fault, 0, VAE_EDATA, "truncated: the header says %llu rows of %zu "
				             "values, the data ends in row %llu", (unsigned long long)t->rows,
				             k->n_fields, (unsigned long long)t->done + 1);
			break;
		}
		tensor_row(t);
		t->done++;
	}
	if (!fault->rc && t->done == t->rows && !t->finished) {
		fault->line = 0;
		check_end(t);
	}
	return fault->rc;
}
