/* model_file.c: the model file, little-endian sections under a CRC-32: save and load. */
#define _DEFAULT_SOURCE         /* MAP_POPULATE */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "internal.h"

#define FORMAT_VERSION 5        /* 2: a table's columns (COLK); 3: the fit's
                                 * settings (FITS); 4: a second latent level
                                 * (LVL2); 5: a label's classes (LABL); 1 to 4
                                 * still load */
#define ONE_LEVEL_VERSION 3     /* a model of one level is written as version 3,
                                 * as before there were two, byte for byte */
#define TWO_LEVEL_VERSION 4     /* and one of two as version 4 */
static const unsigned char MAGIC[8] = { 0x89, 'V', 'A', 'E', '\r', '\n', 0x1a, '\n' };
#define HEADER_SIZE 24          /* magic, version, flags, file length */
#define TAG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/* ======================================================================
 * Writing: a growing byte buffer with little-endian puts
 * ==================================================================== */

typedef struct bytes {
	unsigned char *p;
	size_t len, cap;
	int oom;
} bytes;

/* Room for want bytes in all, at least; @return 0, or -1 (oom set). */
static int reserve(bytes *b, size_t want)
{
	size_t cap = b->cap ? b->cap : 4096;
	unsigned char *p;

	if (b->oom || want <= b->cap)
		return b->oom ? -1 : 0;
	while (cap < want)
		cap *= 2;
	if (!(p = realloc(b->p, cap))) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

static void put(bytes *b, const void *src, size_t n)
{
	if (reserve(b, b->len + n))
		return;
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

static void le(unsigned char *out, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (unsigned char)(v >> (8 * i));
}

static void put_u32(bytes *b, uint32_t v)
{
	unsigned char o[4];
	le(o, v, 4);
	put(b, o, 4);
}

static void put_u64(bytes *b, uint64_t v)
{
	unsigned char o[8];
	le(o, v, 8);
	put(b, o, 8);
}

/* On a little-endian host, as the file is, floats copy as they are. */
static void put_f32s(bytes *b, const float *v, size_t n)
{
	if (vi_host_le()) {
		put(b, v, n * sizeof *v);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t u;
		memcpy(&u, &v[i], 4);
		put_u32(b, u);
	}
}

/* Start a section; end_section patches its length. */
static size_t begin_section(bytes *b, uint32_t tag)
{
	put_u32(b, tag);
	put_u64(b, 0);
	return b->len;
}

static void end_section(bytes *b, size_t start)
{
	if (!b->oom)
		le(b->p + start - 8, b->len - start, 8);
}

static void put_arch(bytes *b, const vae_arch *a)
{
	put_u32(b, (uint32_t)a->n_in);
	put_u32(b, (uint32_t)a->n_latent);
	put_u32(b, (uint32_t)a->n_hidden);
	for (size_t i = 0; i < a->n_hidden; i++)
		put_u32(b, (uint32_t)a->hidden[i]);
	put_u32(b, (uint32_t)a->activation);
	put_u32(b, (uint32_t)a->likelihood);
	put_u32(b, (uint32_t)a->autoencoder);
	put_f32s(b, &a->obs_scale, 1);
}

static void put_columns(bytes *b, const vae_model *m)
{
	size_t n = m->arch.n_in;

	put_u32(b, m->names ? (uint32_t)n : 0);
	for (size_t i = 0; m->names && i < n; i++) {
		put_u32(b, (uint32_t)strlen(m->names[i]));
		put(b, m->names[i], strlen(m->names[i]));
	}
}

static void put_scaling(bytes *b, const vae_model *m)
{
	put_u32(b, (uint32_t)m->scale_kind);
	put_f32s(b, m->offset, m->arch.n_in);
	put_f32s(b, m->scale, m->arch.n_in);
}

static void put_record(bytes *b, const vae_record *r)
{
	put_u64(b, r->rows);
	put_u64(b, r->seed);
	put_u32(b, r->epochs);
	put_u32(b, r->best_epoch);
	put_f32s(b, &r->beta, 1);
	put_f32s(b, &r->final_loss, 1);
	put_f32s(b, &r->best_loss, 1);
	put_f32s(b, &r->val_loss, 1);
}

/* The settings the fit ran with, and which of them it chose itself. */
static void put_settings(bytes *b, const vae_record *r)
{
	put_u32(b, r->batch);
	put_u32(b, r->patience);
	put_f32s(b, &r->val, 1);
	put_f32s(b, &r->trim, 1);
	put_u32(b, r->chosen);
	put_u32(b, r->held_out);
}

static void put_quantiles(bytes *b, const vae_model *m)
{
	put_u32(b, VAE_N_METRICS);
	put_u32(b, VAE_N_QUANTILES);
	for (int k = 0; k < VAE_N_METRICS; k++) {
		put_u64(b, m->q_rows[k]);
		put_u32(b, m->q_samples[k]);
		put_f32s(b, m->quantiles + k * VAE_N_QUANTILES, VAE_N_QUANTILES);
	}
}

/* A table's columns: their kinds and levels, which size the network. */
static void put_kinds(bytes *b, const vae_model *m)
{
	put_u32(b, (uint32_t)m->arch.n_in);
	put_u32(b, (uint32_t)m->masked);
	for (size_t j = 0; j < m->arch.n_in; j++) {
		const vae_column *c = &m->cols[j];
		put_u32(b, (uint32_t)c->kind);
		put_u32(b, (uint32_t)(c->negbin != 0) | (uint32_t)(c->other != 0) << 1);
		put_u32(b, (uint32_t)c->n_levels);
		for (size_t i = 0; i < c->n_levels; i++) {
			put_u32(b, (uint32_t)strlen(c->levels[i]));
			put(b, c->levels[i], strlen(c->levels[i]));
		}
	}
}

/* A label's classes, which size the network: their count, the label's
 * name (a flag, then its text) and each class's text. */
static void put_classes(bytes *b, const vae_model *m)
{
	put_u32(b, (uint32_t)m->arch.n_classes);
	put_u32(b, m->label != NULL);
	if (m->label) {
		put_u32(b, (uint32_t)strlen(m->label));
		put(b, m->label, strlen(m->label));
	}
	for (size_t i = 0; i < m->arch.n_classes; i++) {
		const char *t = m->classes ? m->classes[i] : "";
		put_u32(b, (uint32_t)strlen(t));
		put(b, t, strlen(t));
	}
}

/* Every section in order, each framed by its tag and length: a table's
 * columns first, as the architecture's widths depend on them. */
static void put_sections(bytes *b, const vae_model *m)
{
	size_t s;

	if (m->table) {
		s = begin_section(b, TAG('C', 'O', 'L', 'K'));
		put_kinds(b, m);
		end_section(b, s);
	}
	if (m->arch.n_classes) {
		s = begin_section(b, TAG('L', 'A', 'B', 'L'));
		put_classes(b, m);
		end_section(b, s);
	}
	if (m->arch.n_latent2) {
		s = begin_section(b, TAG('L', 'V', 'L', '2'));
		put_u32(b, (uint32_t)m->arch.n_latent2);
		put_u32(b, (uint32_t)m->arch.hidden2);
		end_section(b, s);
	}
	s = begin_section(b, TAG('A', 'R', 'C', 'H'));
	put_arch(b, &m->arch);
	end_section(b, s);
	s = begin_section(b, TAG('C', 'O', 'L', 'S'));
	put_columns(b, m);
	end_section(b, s);
	s = begin_section(b, TAG('S', 'C', 'A', 'L'));
	put_scaling(b, m);
	end_section(b, s);
	s = begin_section(b, TAG('I', 'M', 'G', 'S'));
	put_u32(b, m->image_h);
	put_u32(b, m->image_w);
	end_section(b, s);
	s = begin_section(b, TAG('T', 'R', 'N', 'R'));
	put_record(b, &m->record);
	end_section(b, s);
	s = begin_section(b, TAG('F', 'I', 'T', 'S'));
	put_settings(b, &m->record);
	end_section(b, s);
	if (m->has_quantiles) {
		s = begin_section(b, TAG('Q', 'U', 'A', 'N'));
		put_quantiles(b, m);
		end_section(b, s);
	}
	s = begin_section(b, TAG('W', 'G', 'H', 'T'));
	put_u64(b, m->n_params);
	put_f32s(b, m->params, m->n_params);
	end_section(b, s);
	if (m->adam_m && m->adam_v) {
		s = begin_section(b, TAG('A', 'D', 'A', 'M'));
		put_u64(b, m->adam_t);
		put_f32s(b, m->adam_m, m->n_params);
		put_f32s(b, m->adam_v, m->n_params);
		end_section(b, s);
	}
}

static int serialize(const vae_model *m, bytes *b, vae_err *e)
{
	unsigned char crc[4];

	memset(b, 0, sizeof *b);
	put(b, MAGIC, sizeof MAGIC);
	put_u32(b, m->arch.n_classes ? FORMAT_VERSION : m->arch.n_latent2 ? TWO_LEVEL_VERSION
	                                                                  : ONE_LEVEL_VERSION);
	put_u32(b, 0);                  /* flags, none yet */
	put_u64(b, 0);                  /* file length, patched below */
	put_sections(b, m);
	if (!b->oom) {
		le(b->p + 16, b->len + 4, 8);
		le(crc, vi_crc32(0, b->p, b->len), 4);
	}
	put(b, crc, 4);
	if (b->oom) {
		free(b->p);
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the model file");
	}
	return 0;
}

int vae_model_write(const vae_model *m, FILE *fp, vae_err *e)
{
	bytes b;
	int rc = serialize(m, &b, e);

	if (rc)
		return rc;
	if (fwrite(b.p, 1, b.len, fp) != b.len || fflush(fp))
		rc = vi_fail(e, VAE_EIO, NULL, 0, 0, "cannot write the model: %s", strerror(errno));
	free(b.p);
	return rc;
}

int vae_model_save(const vae_model *m, const char *path, vae_err *e)
{
	vae_outfile *f = vae_outfile_open(path, e);
	int rc;

	if (!f)
		return VAE_EIO;
	if ((rc = vae_model_write(m, vae_outfile_stream(f), e))) {
		int sys = errno;

		vae_outfile_discard(f);
		errno = sys;
		return rc == VAE_EIO ? vi_fail(e, rc, path, 0, 0, "cannot write: %s", strerror(sys)) : rc;
	}
	return vae_outfile_commit(f, e);
}

/* ======================================================================
 * Reading: a bounded cursor; every size is checked against what is left
 * ==================================================================== */

typedef struct cursor {
	const unsigned char *p;
	size_t len, at;
	int short_read;
} cursor;

static uint64_t get_le(cursor *c, int n)
{
	uint64_t v = 0;

	if (c->len - c->at < (size_t)n) {
		c->short_read = 1;
		c->at = c->len;
		return 0;
	}
	for (int i = 0; i < n; i++)
		v |= (uint64_t)c->p[c->at + i] << (8 * i);
	c->at += (size_t)n;
	return v;
}

static uint32_t get_u32(cursor *c) { return (uint32_t)get_le(c, 4); }
static uint64_t get_u64(cursor *c) { return get_le(c, 8); }

static void get_f32s(cursor *c, float *v, size_t n)
{
	if ((c->len - c->at) / 4 < n) {
		c->short_read = 1;
		c->at = c->len;
		return;
	}
	if (vi_host_le()) {                /* the weights: megabytes, copied at once */
		memcpy(v, c->p + c->at, n * 4);
		c->at += n * 4;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t u = get_u32(c);
		memcpy(&v[i], &u, 4);
	}
}

/* Read path, or stdin when path is "-" (named "<stdin>" in messages), whole
 * into b: a pipe cannot be mapped. */
static int read_all(const char *path, bytes *b, vae_err *e)
{
	int is_stdin = !strcmp(path, "-");
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	struct stat st;
	size_t n;

	memset(b, 0, sizeof *b);
	if (is_stdin)
		path = "<stdin>";
	if (!fp)
		return vi_fail(e, VAE_ENOINPUT, path, 0, 0, "cannot open the model: %s", strerror(errno));
	if (!fstat(fileno(fp), &st) && S_ISREG(st.st_mode) && st.st_size > 0)
		reserve(b, (size_t)st.st_size + 1);     /* a file: read at once, no regrowth */
	while (!reserve(b, b->len < b->cap ? b->cap : b->len + 65536)    /* grow when full */
	       && (n = fread(b->p + b->len, 1, b->cap - b->len, fp)) > 0)
		b->len += n;
	if (ferror(fp) || b->oom) {
		int rc = b->oom ? vi_fail(e, VAE_ENOMEM, path, 0, 0, "the model does not fit in memory")
		                : vi_fail(e, VAE_EIO, path, 0, 0, "cannot read the model: %s", strerror(errno));
		if (!is_stdin)
			fclose(fp);
		free(b->p);
		return rc;
	}
	if (!is_stdin)
		fclose(fp);
	return 0;
}

/* Check magic, version, length and CRC, in that order. */
static int check_envelope(const bytes *b, const char *path, vae_err *e)
{
	cursor c = { b->p, b->len, 8, 0 };
	uint32_t version, stored, actual;
	uint64_t length;

	if (b->len < 8 || memcmp(b->p, MAGIC, 8))
		return vi_fail(e, VAE_EMODEL, path, 0, 0, b->len == 0 ? "empty file, expected a vae model"
		                : "not a vae model (bad magic number)");
	if (b->len < HEADER_SIZE + 4)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "truncated: %zu bytes, shorter than the header",
		                b->len);
	version = get_u32(&c);
	if (version < 1 || version > FORMAT_VERSION)
		return vi_fail(e, VAE_EMODEL, path, 0, 0,
		                "model format version %u, this program reads versions 1 to %d",
		                version, FORMAT_VERSION);
	get_u32(&c);
	length = get_u64(&c);
	if (length != b->len)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "%s: the header says %llu bytes, the file has %zu",
		                length > b->len ? "truncated" : "trailing bytes",
		                (unsigned long long)length, b->len);
	c.at = b->len - 4;
	stored = get_u32(&c);
	actual = vi_crc32(0, b->p, b->len - 4);
	if (stored != actual)
		return vi_fail(e, VAE_EMODEL, path, 0, 0,
		                "checksum mismatch (stored %08x, computed %08x): the file is corrupt",
		                stored, actual);
	return 0;
}

/* What comes before the architecture and sizes it: a table's columns and
 * a second latent level. */
typedef struct kinds {
	vae_column *cols;       /* NULL: no COLK section (every column real) */
	size_t n;
	int masked;
	size_t n_enc, n_dec;    /* the network's widths they make */
	uint32_t version;       /* the file's */
	int level2;             /* a LVL2 section was read: */
	size_t n_latent2, hidden2;
	int labelled;           /* a LABL section was read: */
	size_t n_classes;
	char *label, **classes; /* handed to the model once it is made */
} kinds;

static int read_arch(cursor *c, vae_arch *a, const kinds *k, const char *path, vae_err *e)
{
	const char *bad;

	memset(a, 0, sizeof *a);
	a->n_latent2 = k->n_latent2;
	a->hidden2 = k->hidden2;
	a->n_classes = k->n_classes;
	a->n_in = get_u32(c);
	a->n_latent = get_u32(c);
	a->n_hidden = get_u32(c);
	if (a->n_hidden > VAE_MAX_HIDDEN)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "architecture: %zu hidden layers, at most %d",
		                a->n_hidden, VAE_MAX_HIDDEN);
	for (size_t i = 0; i < a->n_hidden; i++)
		a->hidden[i] = get_u32(c);
	a->activation = (int)get_u32(c);
	a->likelihood = (int)get_u32(c);
	a->autoencoder = (int)get_u32(c);
	get_f32s(c, &a->obs_scale, 1);
	if (a->autoencoder != 0 && a->autoencoder != 1)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "architecture: autoencoder flag %d", a->autoencoder);
	if (c->short_read)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "architecture section too short");
	if ((bad = vae_check_arch(a)))
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "architecture: %s", bad);
	return 0;
}

static int read_names(cursor *c, vae_model *m, const char *path, vae_err *e)
{
	uint32_t count = get_u32(c);

	if (count == 0)
		return 0;
	if (count != m->arch.n_in)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "%u column names for %zu columns", count,
		                m->arch.n_in);
	if (!(m->names = calloc(count, sizeof *m->names)))
		return vi_fail(e, VAE_ENOMEM, path, 0, 0, "cannot allocate column names");
	for (uint32_t i = 0; i < count; i++) {
		uint32_t len = get_u32(c);
		if (c->short_read || len > c->len - c->at)
			return vi_fail(e, VAE_EMODEL, path, 0, 0, "column name %u overruns its section", i + 1);
		if (!(m->names[i] = malloc(len + 1)))
			return vi_fail(e, VAE_ENOMEM, path, 0, 0, "cannot allocate column names");
		memcpy(m->names[i], c->p + c->at, len);
		m->names[i][len] = 0;
		c->at += len;
	}
	return 0;
}

static int read_weights(cursor *c, vae_model *m, const char *path, vae_err *e)
{
	uint64_t n = get_u64(c);

	if (n != m->n_params)
		return vi_fail(e, VAE_EMODEL, path, 0, 0,
		                "weights: %llu parameters, the architecture needs %zu",
		                (unsigned long long)n, m->n_params);
	get_f32s(c, m->params, m->n_params);
	return 0;
}

static int read_adam(cursor *c, vae_model *m, int load, const char *path, vae_err *e)
{
	if (!load) {                    /* check its size, copy nothing */
		get_u64(c);
		if ((c->len - c->at) / 8 < m->n_params)
			c->short_read = 1;
		c->at = c->short_read ? c->len : c->at + 8 * m->n_params;
		return 0;
	}
	m->adam_t = get_u64(c);
	if ((c->len - c->at) / 8 < m->n_params) {      /* its size before any allocation */
		c->short_read = 1;
		return 0;
	}
	m->adam_m = malloc(m->n_params * sizeof(float));
	m->adam_v = malloc(m->n_params * sizeof(float));
	if (!m->adam_m || !m->adam_v)
		return vi_fail(e, VAE_ENOMEM, path, 0, 0, "cannot allocate the optimiser state");
	get_f32s(c, m->adam_m, m->n_params);
	get_f32s(c, m->adam_v, m->n_params);
	return 0;
}

static int read_quantiles(cursor *c, vae_model *m, const char *path, vae_err *e)
{
	uint32_t metrics = get_u32(c), n = get_u32(c);

	if (metrics != VAE_N_METRICS || n != VAE_N_QUANTILES)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "quantiles: %u x %u, expected %d x %d",
		                metrics, n, VAE_N_METRICS, VAE_N_QUANTILES);
	for (int k = 0; k < VAE_N_METRICS; k++) {
		m->q_rows[k] = get_u64(c);
		m->q_samples[k] = get_u32(c);
		get_f32s(c, m->quantiles + k * VAE_N_QUANTILES, VAE_N_QUANTILES);
	}
	m->has_quantiles = 1;
	return 0;
}

static int read_scaling(cursor *c, vae_model *m, const char *path, vae_err *e)
{
	size_t n = m->arch.n_in;

	m->scale_kind = (int)get_u32(c);
	if (m->scale_kind < VAE_SCALE_NONE || m->scale_kind > VAE_SCALE_MINMAX)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "scaling: unknown kind %d", m->scale_kind);
	get_f32s(c, m->offset, n);
	get_f32s(c, m->scale, n);
	for (size_t j = 0; j < n && !c->short_read; j++)
		if (!isfinite(m->offset[j]) || !isfinite(m->scale[j]) || m->scale[j] == 0)
			return vi_fail(e, VAE_EMODEL, path, 0, 0, "scaling: column %zu has offset %g and "
			                "scale %g", j + 1, (double)m->offset[j], (double)m->scale[j]);
	return 0;
}

/* One section's payload, after ARCH has built the model. */
static int read_section(cursor *c, uint32_t tag, vae_model *m, int flags, const char *path,
                        vae_err *e)
{
	vae_record *r = &m->record;

	switch (tag) {
	case TAG('C', 'O', 'L', 'S'):
		return read_names(c, m, path, e);
	case TAG('S', 'C', 'A', 'L'):
		return read_scaling(c, m, path, e);
	case TAG('I', 'M', 'G', 'S'):
		m->image_h = get_u32(c);
		m->image_w = get_u32(c);
		return 0;
	case TAG('T', 'R', 'N', 'R'):
		r->rows = get_u64(c);
		r->seed = get_u64(c);
		r->epochs = get_u32(c);
		r->best_epoch = get_u32(c);
		get_f32s(c, &r->beta, 1);
		get_f32s(c, &r->final_loss, 1);
		get_f32s(c, &r->best_loss, 1);
		get_f32s(c, &r->val_loss, 1);
		return 0;
	case TAG('F', 'I', 'T', 'S'):
		r->batch = get_u32(c);
		r->patience = get_u32(c);
		get_f32s(c, &r->val, 1);
		get_f32s(c, &r->trim, 1);
		r->chosen = get_u32(c);
		r->held_out = get_u32(c);
		return 0;
	case TAG('Q', 'U', 'A', 'N'):
		return read_quantiles(c, m, path, e);
	case TAG('W', 'G', 'H', 'T'):
		return read_weights(c, m, path, e);
	case TAG('A', 'D', 'A', 'M'):
		return read_adam(c, m, flags & VAE_LOAD_OPTIMIZER, path, e);
	}
	return vi_fail(e, VAE_EMODEL, path, 0, 0, "unknown section \"%.4s\"", (const char *)&tag);
}

/* The sizes an architecture declares are only a claim: before the model
 * is allocated from them, the rest of the file (rest bytes after ARCH)
 * must have room for the sections every model has, its weights (a float a
 * parameter) and its scaling (two floats a column), so that the memory
 * taken is never more than the file's length warrants. */
static int check_room(const vae_arch *a, size_t n_enc, size_t n_dec, int table, size_t rest,
                      const char *path, vae_err *e)
{
	vi_mlp enc, dec, up, down, cls;
	size_t obs, n = vi_layout(a, n_enc, n_dec, table, &enc, &dec, &obs, &up, &down, &cls);
	uint64_t need = 12 + 8 + 4 * (uint64_t)n + 12 + 4 + 8 * (uint64_t)a->n_in;

	if (need > rest)        /* no overflow: vae_check_arch bounded n and n_in */
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "truncated: the architecture needs %zu "
		                "parameters, %llu bytes of weights and scaling, and %zu bytes follow it",
		                n, (unsigned long long)need, rest);
	return 0;
}

/* The second latent level's sizes, checked with the architecture. */
static int read_level2(cursor *c, kinds *k, const char *path, vae_err *e)
{
	if (k->version < 4)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "a second latent level in a version %u file",
		               k->version);
	k->n_latent2 = get_u32(c);
	k->hidden2 = get_u32(c);
	k->level2 = 1;
	if (!c->short_read && !k->n_latent2)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "second latent level of size 0");
	return 0;
}

/* One level's text, which must fit in what is left of its section. */
static char *get_text(cursor *c)
{
	uint32_t len = get_u32(c);
	char *s;

	if (c->short_read || len > c->len - c->at) {
		c->short_read = 1;
		return NULL;
	}
	if ((s = malloc((size_t)len + 1))) {
		memcpy(s, c->p + c->at, len);
		s[len] = 0;
	}
	c->at += len;
	return s;
}

/* Every size is checked against the bytes left before it is allocated. */
static int read_kinds(cursor *c, kinds *k, const char *path, vae_err *e)
{
	uint32_t n = get_u32(c), flags = get_u32(c);

	if (c->short_read || n == 0 || n > (c->len - c->at) / 12 || flags > 1)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "columns: %u columns, flags %u, in %zu bytes",
		               n, flags, c->len);
	if (!(k->cols = calloc(n, sizeof *k->cols)))
		return vi_fail(e, VAE_ENOMEM, path, 0, 0, "cannot allocate the columns");
	k->n = n;
	k->masked = (int)flags;
	k->n_enc = k->masked ? n : 0;
	for (uint32_t j = 0; j < n; j++) {
		vae_column *col = &k->cols[j];
		uint32_t kind = get_u32(c), f = get_u32(c), levels = get_u32(c);
		if (c->short_read || kind >= VAE_N_KINDS || f > 3 || levels > VAE_MAX_LEVELS + 1
		    || levels > (c->len - c->at) / 4)
			return vi_fail(e, VAE_EMODEL, path, 0, 0, "column %u: kind %u, flags %u, %u levels",
			               j + 1, kind, f, levels);
		col->kind = (int)kind;
		col->negbin = f & 1;
		col->other = f >> 1 & 1;
		if (levels && !(col->levels = calloc(levels, sizeof *col->levels)))
			return vi_fail(e, VAE_ENOMEM, path, 0, 0, "cannot allocate the levels");
		col->n_levels = levels;
		for (uint32_t i = 0; i < levels; i++)
			if (!(col->levels[i] = get_text(c)))
				return c->short_read ? vi_fail(e, VAE_EMODEL, path, 0, 0, "column %u: level %u "
				                               "overruns its section", j + 1, i + 1)
				                     : vi_fail(e, VAE_ENOMEM, path, 0, 0, "cannot allocate the levels");
		k->n_enc += vi_col_width(col->kind, levels);
		k->n_dec += vi_col_width(col->kind, levels);
	}
	return 0;
}

/* A label's classes (put_classes), each text within the section. */
static int read_classes(cursor *c, kinds *k, const char *path, vae_err *e)
{
	uint32_t n, named;

	if (k->version < 5)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "a label's classes in a version %u file",
		               k->version);
	n = get_u32(c);
	named = get_u32(c);
	k->labelled = 1;
	if (c->short_read || n == 0 || n > VAE_MAX_LEVELS || n > (c->len - c->at) / 4 || named > 1)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "label: %u classes, name flag %u", n, named);
	if (named && !(k->label = get_text(c)))
		goto fail;
	if (!(k->classes = calloc(n, sizeof *k->classes)))
		return vi_fail(e, VAE_ENOMEM, path, 0, 0, "cannot allocate the classes");
	k->n_classes = n;
	for (uint32_t i = 0; i < n; i++)
		if (!(k->classes[i] = get_text(c)))
			goto fail;
	return 0;
fail:
	return c->short_read ? vi_fail(e, VAE_EMODEL, path, 0, 0, "label: a text overruns its section")
	                     : vi_fail(e, VAE_ENOMEM, path, 0, 0, "cannot allocate the classes");
}

/* The architecture, after the columns if the model is a table: it makes
 * the model. */
static int make_model(cursor *s, kinds *k, size_t rest, vae_model **m, const char *path,
                      vae_err *e)
{
	vae_arch a;
	int rc;

	if ((rc = read_arch(s, &a, k, path, e)))
		return rc;
	if (k->cols && k->n != a.n_in)
		return vi_fail(e, VAE_EMODEL, path, 0, 0, "%zu column kinds for %zu columns", k->n,
		               a.n_in);
	if ((rc = check_room(&a, k->cols ? k->n_enc : a.n_in, k->cols ? k->n_dec : a.n_in,
	                     k->cols != NULL, rest, path, e)))
		return rc;
	if (!(*m = vi_model_alloc(&a, k->cols, k->masked, e)))
		return e && e->code == VAE_ENOMEM ? VAE_ENOMEM
		     : vi_fail(e, VAE_EMODEL, path, 0, 0, "columns: %s", e ? e->msg : "bad");
	(*m)->classes = k->classes;     /* the model's now */
	(*m)->label = k->label;
	k->classes = NULL;
	k->label = NULL;
	return 0;
}

/* One section, its bytes in s and rest bytes of sections after it: the
 * first must be the architecture (after a table's columns), which makes
 * *m; the others fill it in, and each must be read to its end. */
static int parse_section(cursor *s, uint32_t tag, uint64_t len, size_t rest, vae_model **m,
                         kinds *k, int flags, const char *path, vae_err *e)
{
	int rc;

	if (!*m) {
		if (tag == TAG('C', 'O', 'L', 'K') && !k->cols)
			rc = read_kinds(s, k, path, e);
		else if (tag == TAG('L', 'V', 'L', '2') && !k->level2)
			rc = read_level2(s, k, path, e);
		else if (tag == TAG('L', 'A', 'B', 'L') && !k->labelled)
			rc = read_classes(s, k, path, e);
		else if (tag != TAG('A', 'R', 'C', 'H'))
			rc = vi_fail(e, VAE_EMODEL, path, 0, 0, "the architecture section is missing");
		else
			rc = make_model(s, k, rest, m, path, e);
	} else {
		rc = read_section(s, tag, *m, flags, path, e);
	}
	if (!rc && s->short_read)
		rc = vi_fail(e, VAE_EMODEL, path, 0, 0, "section \"%.4s\" is too short for its "
		              "fields (%llu bytes)", (const char *)&tag, (unsigned long long)len);
	else if (!rc && s->at != s->len)
		rc = vi_fail(e, VAE_EMODEL, path, 0, 0, "section \"%.4s\" has %llu bytes, expected %zu",
		              (const char *)&tag, (unsigned long long)len, s->at);
	return rc;
}

/* Walk the sections; ARCH must come first, or after COLK, LABL and LVL2. */
static vae_model *parse(const bytes *b, int flags, const char *path, vae_err *e)
{
	cursor c = { b->p, b->len - 4, HEADER_SIZE, 0 };
	vae_model *m = NULL;
	uint32_t seen[16];
	size_t n_seen = 0;
	int rc = 0, have_weights = 0, have_scale = 0;
	kinds k = { 0 };

	k.version = (uint32_t)b->p[8] | (uint32_t)b->p[9] << 8 | (uint32_t)b->p[10] << 16
	          | (uint32_t)b->p[11] << 24;         /* check_envelope read it */
	while (!rc && c.at < c.len) {
		uint32_t tag = get_u32(&c);
		uint64_t len = get_u64(&c);
		if (c.short_read || len > c.len - c.at) {
			rc = vi_fail(e, VAE_EMODEL, path, 0, 0, "section \"%.4s\" overruns the file",
			              (const char *)&tag);
			break;
		}
		cursor s = { c.p + c.at, (size_t)len, 0, 0 };
		c.at += (size_t)len;
		for (size_t i = 0; i < n_seen && !rc; i++)
			if (seen[i] == tag)
				rc = vi_fail(e, VAE_EMODEL, path, 0, 0, "section \"%.4s\" appears twice",
				              (const char *)&tag);
		if (rc)
			break;
		if (n_seen < sizeof seen / sizeof *seen)
			seen[n_seen++] = tag;
		have_weights |= m && tag == TAG('W', 'G', 'H', 'T');
		have_scale |= m && tag == TAG('S', 'C', 'A', 'L');
		rc = parse_section(&s, tag, len, c.len - c.at, &m, &k, flags, path, e);
	}
	vae_columns_free(k.cols, k.n);
	for (size_t i = 0; k.classes && i < k.n_classes; i++)
		free(k.classes[i]);
	free(k.classes);
	free(k.label);
	if (!rc && m)
		vi_table_sync(m);
	if (!rc && (!m || !have_weights || !have_scale))
		rc = vi_fail(e, VAE_EMODEL, path, 0, 0, "the %s section is missing",
		              !m ? "architecture" : !have_weights ? "weights" : "scaling");
	if (rc) {
		vae_model_free(m);
		return NULL;
	}
	return m;
}

/* A regular file mapped, its pages read in by one call: a model is read
 * at every start of a filter, and read(2) into fresh memory cost as much
 * again in page faults as the reading.  @return 0, or -1 when the file is
 * not one to map (a pipe, empty) or the mapping fails: read it then. */
static int map_all(const char *path, bytes *b)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	void *p = MAP_FAILED;
	int flags = MAP_PRIVATE;

#ifdef MAP_POPULATE
	flags |= MAP_POPULATE;
#endif
	memset(b, 0, sizeof *b);
	if (fd < 0)
		return -1;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0)
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, flags, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	b->p = p;
	b->len = b->cap = (size_t)st.st_size;
	return 0;
}

vae_model *vae_model_load(const char *path, int flags, vae_err *e)
{
	bytes b;
	vae_model *m = NULL;
	int is_stdin = !strcmp(path, "-");
	int mapped = !is_stdin && !map_all(path, &b);
	const char *name = is_stdin ? "<stdin>" : path;

	if (!mapped && read_all(path, &b, e))
		return NULL;
	if (!check_envelope(&b, name, e))
		m = parse(&b, flags, name, e);
	if (mapped)
		munmap(b.p, b.len);
	else
		free(b.p);
	return m;
}
