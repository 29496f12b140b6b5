/* vae.h: variational autoencoders for Unix filters, the public interface. */
#ifndef VAE_H
#define VAE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Ownership, once for the whole header: what a `_new`, `_open` or `_load`
 * function returns, the matching `_free` or `_close` frees, and every
 * destructor accepts NULL.  Pointers returned into a handle (names, arch)
 * are borrowed: valid until the handle is freed.  Matrices and field
 * tables passed in are owned by the caller.  The library never prints,
 * never exits and never asserts on user data: every failure is a negative
 * VAE_E* code with the details in a caller-owned vae_err.
 */

#define VAE_VERSION_MAJOR 0
#define VAE_VERSION_MINOR 1
#define VAE_VERSION_PATCH 0
#define VAE_VERSION "0.1.0"

/*! vae_version() :
 *  @return the library version as "MAJOR.MINOR.PATCH"; compare VAE_VERSION,
 *  the version the program was compiled against. */
const char *vae_version(void);

/* ======================================================================
 * Errors
 * ==================================================================== */

enum {
	VAE_OK = 0,
	VAE_ENOMEM = -1,   /* out of memory */
	VAE_EIO = -2,      /* read or write failed (errno kept in vae_err.sys) */
	VAE_EDATA = -3,    /* input data malformed: file, line and column set */
	VAE_EMODEL = -4,   /* model file malformed or incompatible */
	VAE_EPARAM = -5,   /* a parameter or option out of range */
	VAE_ENUMERIC = -6, /* training diverged (NaN or Inf) */
	VAE_ENOINPUT = -7, /* an input file cannot be opened */
	VAE_EINTERNAL = -8 /* a bug: an invariant of the library failed */
};

/* Where and why a call failed.  line and column are 1-based, 0 when they do
 * not apply; column counts fields, not bytes. */
/* What an error is about, so that a program can point at the option that
 * set it; the library itself never names options. */
enum vae_about {
	VAE_ABOUT_NOTHING,
	VAE_ABOUT_FIELDS,       /* the model columns chosen (vae_reader_select's fields) */
	VAE_ABOUT_KEEP,         /* the pass-through columns (keep) */
	VAE_ABOUT_IMAGE,        /* the image shape of png output */
	VAE_ABOUT_STEP,         /* the training step: its learning rate or clip */
	VAE_ABOUT_HEADER_GUESS, /* the first line was guessed to be a header (VAE_HEADER_AUTO) */
	VAE_ABOUT_DELIMITER_GUESS,  /* the delimiter was guessed to be a comma, and the
	                             * first line has no comma either */
	VAE_ABOUT_MISSING,      /* a missing value, an error (VAE_MISSING_ERROR) */
	VAE_ABOUT_TYPES         /* a column's kind, as detected or as given */
};

typedef struct vae_err {
	int code;
	int sys;            /* errno for VAE_EIO and VAE_ENOINPUT, else 0 */
	int about;          /* enum vae_about */
	char file[256];     /* input or model file, "<stdin>" for stdin */
	unsigned long line, column;
	char msg[512];      /* what was expected, without the place */
} vae_err;

/*! vae_strerror() :
 *  @return a short constant name for a VAE_E* code ("bad data", ...). */
const char *vae_strerror(int code);

/* ======================================================================
 * Plain data
 * ==================================================================== */

/* A row-major float32 matrix: x[r * cols + c]. */
typedef struct vae_mat {
	size_t rows, cols;
	float *x;
} vae_mat;

/*! vae_mat_alloc() : rows x cols floats, uninitialised.
 *  @return 0, or VAE_ENOMEM.  Free with vae_mat_release(). */
int vae_mat_alloc(vae_mat *m, size_t rows, size_t cols, vae_err *e);
void vae_mat_release(vae_mat *m);

/* Rows on disk: a spool of float32 rows in a temporary file, for training
 * on more rows than memory holds (vae_fit_rows).  The file is removed as
 * it is made, so it goes with the process however that ends. */
typedef struct vae_rows vae_rows;

/*! vae_rows_spool() : an empty spool of rows of cols columns in directory
 *  dir (NULL: $TMPDIR, else /tmp).  @return it, or NULL (VAE_EIO,
 *  VAE_ENOMEM). */
vae_rows *vae_rows_spool(size_t cols, const char *dir, vae_err *e);
/*! vae_rows_append() : x's rows after the spool's.  @return 0, or VAE_EIO
 *  (a full disk, say). */
int vae_rows_append(vae_rows *s, const vae_mat *x, vae_err *e);
/*! vae_rows_get(), vae_rows_put() : x->rows rows from row r0 into x, or
 *  from x into the spool (put may extend it).  @return 0, VAE_EIO, or
 *  VAE_EPARAM for rows or columns the spool does not have. */
int vae_rows_get(const vae_rows *s, size_t r0, vae_mat *x, vae_err *e);
int vae_rows_put(vae_rows *s, size_t r0, const vae_mat *x, vae_err *e);
size_t vae_rows_count(const vae_rows *s);
size_t vae_rows_cols(const vae_rows *s);
/*! vae_rows_each() : fn on each block of the rows in turn, for a pass
 *  over them: block->rows of them (its capacity; fewer at the end) read
 *  into block, r0 the first one's number; with write set, the block is
 *  written back after fn.  @return 0, fn's non-zero, or a read's or a
 *  write's error. */
int vae_rows_each(vae_rows *s, vae_mat *block, int write,
                  int (*fn)(vae_mat *block, size_t r0, void *arg), void *arg, vae_err *e);

void vae_rows_close(vae_rows *s);

/* A table of text fields (the pass-through columns of a chunk of rows).
 * Field (r, c) is the NUL-terminated string at buf + off[r * cols + c]. */
typedef struct vae_text {
	size_t rows, cols;
	char *buf;
	size_t *off;
	size_t len, cap, off_cap;   /* bytes used and held; offsets held */
} vae_text;

void vae_text_release(vae_text *t);

/*! vae_text_field() : @return field (r, c) and its length in *len. */
const char *vae_text_field(const vae_text *t, size_t r, size_t c, size_t *len);

/* ======================================================================
 * Random numbers: xoshiro256** seeded through splitmix64, explicit state
 * ==================================================================== */

typedef struct vae_rng {
	uint64_t s[4];
} vae_rng;

void vae_rng_seed(vae_rng *r, uint64_t seed);

/*! vae_rng_seed_row() : seed a stream from a seed and a row's values, so a
 *  row's draws depend on its content and never on its position in a stream. */
void vae_rng_seed_row(vae_rng *r, uint64_t seed, const float *x, size_t n);

uint64_t vae_rng_next(vae_rng *r);
/*! @return a uniform draw in [0, 1). */
double vae_rng_uniform(vae_rng *r);
/*! @return a standard normal draw. */
float vae_rng_normal(vae_rng *r);

/* ======================================================================
 * The model
 * ==================================================================== */

enum vae_likelihood { VAE_BERNOULLI, VAE_GAUSSIAN, VAE_LAPLACE };
enum vae_activation { VAE_RELU, VAE_TANH, VAE_SOFTPLUS };
enum vae_scaling { VAE_SCALE_NONE, VAE_SCALE_STANDARD, VAE_SCALE_MINMAX };
enum vae_metric { VAE_METRIC_RECON, VAE_METRIC_ELBO, VAE_METRIC_NLL, VAE_N_METRICS };

#define VAE_MAX_HIDDEN 8

/* The architecture: n_in inputs, encoder hidden sizes hidden[0..n_hidden),
 * the decoder mirrors them back to n_in.  With n_latent2, a second
 * stochastic level above the first (Burda et al.'s two-layer model):
 * q(z1|x) q(z2|z1) infers, p(z2) = N(0, I), p(z1|z2) p(x|z1) generates;
 * q(z2|z1) and p(z1|z2) are networks of one hidden layer of hidden2. */
typedef struct vae_arch {
	size_t n_in, n_latent, n_hidden;
	size_t hidden[VAE_MAX_HIDDEN];
	int activation;             /* enum vae_activation */
	int likelihood;             /* enum vae_likelihood */
	int autoencoder;            /* plain autoencoder: z = mu, no KL, no sampling */
	float obs_scale;            /* gaussian sigma or laplace b, fixed, in model
	                             * units; 0: learned per column */
	size_t n_latent2;           /* z2's size; 0: one stochastic level */
	size_t hidden2;             /* the hidden size between z1 and z2 (0 without z2) */
	size_t n_classes;           /* a label's classes (0: none): Kingma et al.'s M2,
	                             * q(y|x) q(z|x,y) infers, p(y) uniform, p(z) =
	                             * N(0, I), p(x|z,y) generates; q(y|x) reads the
	                             * encoder's first hidden layer (of x alone) and
	                             * has the other hidden sizes; one latent level,
	                             * a hidden layer, not an autoencoder */
} vae_arch;

/* What the last fit did, kept in the model file. */
typedef struct vae_record {
	uint64_t rows, seed;        /* training rows (validation rows not counted) */
	uint32_t epochs;            /* epochs run */
	uint32_t best_epoch;        /* the epoch whose weights were kept */
	float beta;
	float final_loss;           /* mean negative ELBO per row, last epoch */
	float best_loss;            /* lowest mean negative ELBO of any epoch */
	float val_loss;             /* validation rows' mean -ELBO at z = mu, kept
	                             * epoch; NAN without validation */
	/* the settings of the fit (all 0 in files older than version 3) */
	uint32_t batch, patience;
	float val;                  /* fraction of the rows held out */
	float trim;                 /* share of each batch's worst rows left out */
	uint32_t chosen;            /* VAE_CHOSE_* bits: what was sized from the data */
	uint32_t held_out;          /* the score quantiles come from the held-out rows */
} vae_record;

/* ----------------------------------------------------------------------
 * Columns: what kind of value each model column holds
 * ------------------------------------------------------------------- */

/* A column's kind decides its likelihood and how it is printed.  A row
 * (vae_mat) holds one float per column in user units: the value for real,
 * positive and count columns, the level's index for binary and cat
 * columns, and NAN for a missing cell (see VAE_MISSING_MASK). */
enum vae_kind {
	VAE_KIND_REAL,      /* Gaussian with learned variance, or the arch's likelihood */
	VAE_KIND_POSITIVE,  /* > 0, log-normal: Gaussian on its logarithm */
	VAE_KIND_COUNT,     /* whole numbers >= 0: Poisson or negative binomial */
	VAE_KIND_BINARY,    /* two levels, Bernoulli */
	VAE_KIND_CAT,       /* levels of text, categorical (softmax) */
	VAE_N_KINDS
};

/* The most levels a binary or cat column may have: a text column with more
 * distinct values is an id or free text, not a category. */
#define VAE_MAX_LEVELS 1000

typedef struct vae_column {
	int kind;               /* enum vae_kind */
	int negbin;             /* count: negative binomial (1) or Poisson (0) */
	int other;              /* cat: its last level stands for every value not
	                         * seen in training */
	size_t n_levels;        /* binary: 2; cat: at least 1, "other" included */
	char **levels;          /* binary, cat: each level's text, by index */
} vae_column;

/*! vae_columns_free() : free the levels of n columns, then the array. */
void vae_columns_free(vae_column *cols, size_t n);

typedef struct vae_model vae_model;

/*! vae_check_arch() : validate an architecture before building it.
 *  @return NULL when valid, else a constant message ("latent size is 0"). */
const char *vae_check_arch(const vae_arch *a);

/*! vae_model_latent() : @return the size of latent level 1 (z1, what the
 *  decoder reads) or 2 (z2, the top), or 0 when the model has no such
 *  level. */
size_t vae_model_latent(const vae_model *m, int level);

/*! vae_model_new() : a model with weights drawn from seed (uniform in
 *  +-1/sqrt(fan_in), as torch.nn.Linear), identity scaling, no names.
 *  @return the model, or NULL with e filled (VAE_EPARAM, VAE_ENOMEM). */
vae_model *vae_model_new(const vae_arch *a, uint64_t seed, vae_err *e);
void vae_model_free(vae_model *m);

/*! vae_model_new_table() : a model for a table whose a->n_in columns have
 *  the kinds and levels of cols (copied); with masked set, the encoder is
 *  also told which cells of a row are missing.  Real columns take a's
 *  likelihood.  The network's widths follow the kinds: a cat column of L
 *  levels is L one-hot inputs and L outputs (logits).
 *  @return the model, or NULL with e filled (VAE_EPARAM, VAE_ENOMEM). */
vae_model *vae_model_new_table(const vae_arch *a, const vae_column *cols, int masked,
                               uint64_t seed, vae_err *e);

/*! @return column j's kind and levels (every column of a model made by
 *  vae_model_new is real), borrowed. */
const vae_column *vae_model_column(const vae_model *m, size_t j);
/*! @return non-zero when the encoder sees which cells are missing. */
int vae_model_masked(const vae_model *m);
/*! @return non-zero when some column is not real or the model is masked:
 *  its rows may hold levels and missing cells. */
int vae_model_is_table(const vae_model *m);

/* vae_model_load flags */
#define VAE_LOAD_OPTIMIZER 1    /* also Adam's state, for a fit that continues */

/*! vae_model_load() : read and check a model file ("-" for stdin, read
 *  whole and named "<stdin>" in messages): magic, version, every
 *  size against the file length, and the CRC-32.  Adam's state, two thirds
 *  of the file, is checked but left in it unless flags has
 *  VAE_LOAD_OPTIMIZER: encoding and scoring start faster without it.
 *  @return the model, or NULL with e filled (VAE_ENOINPUT, VAE_EIO,
 *  VAE_EMODEL with a message naming the failed check). */
vae_model *vae_model_load(const char *path, int flags, vae_err *e);

/* ----------------------------------------------------------------------
 * Files replaced whole
 * ------------------------------------------------------------------- */

/* A file written beside its destination and renamed over it when complete,
 * so the destination holds its old bytes or all of the new ones, never
 * half.  vae_model_save and the programs' -o use it. */
typedef struct vae_outfile vae_outfile;

/*! vae_outfile_open() : create path's temporary twin "path.XXXXXX" with
 *  O_CREAT|O_EXCL and mode 0666, which the kernel reduces by the umask as
 *  for any new file.  As `>` would: a symbolic link is followed, and the
 *  file it names is the one replaced; a file that exists keeps its
 *  permissions, and one the caller may not write is refused.  A path that
 *  exists and is not a regular file (a FIFO, a device) is written in
 *  place: renaming over it would replace it.
 *  @return the handle, or NULL with e filled (VAE_EIO, VAE_ENOMEM). */
vae_outfile *vae_outfile_open(const char *path, vae_err *e);

/*! vae_outfile_stream() : @return the stream to write to, borrowed. */
FILE *vae_outfile_stream(vae_outfile *f);

/*! vae_outfile_temp() : @return the temporary's name, borrowed, or NULL
 *  when the file is written in place: what a signal handler of the
 *  program's should unlink (unlink(2) is async-signal-safe). */
const char *vae_outfile_temp(const vae_outfile *f);

/*! vae_outfile_commit() : flush, sync and close, then rename into place.
 *  Frees f either way.  @return 0, or VAE_EIO with e filled and the
 *  temporary removed. */
int vae_outfile_commit(vae_outfile *f, vae_err *e);

/*! vae_outfile_discard() : close and remove the temporary, leaving the
 *  destination as it was; frees f.  NULL is fine. */
void vae_outfile_discard(vae_outfile *f);

/*! vae_model_save() : write to a temporary file beside path, then rename, so
 *  path holds the old model or the whole new one, never half.
 *  @return 0, or VAE_EIO. */
int vae_model_save(const vae_model *m, const char *path, vae_err *e);

/*! vae_model_write() : write the model to an open stream (stdout).
 *  @return 0, or VAE_EIO. */
int vae_model_write(const vae_model *m, FILE *fp, vae_err *e);

const vae_arch *vae_model_arch(const vae_model *m);
const vae_record *vae_model_record(const vae_model *m);
size_t vae_model_n_params(const vae_model *m);

/*! vae_model_set_names() : name the n_in input columns (copied).
 *  names NULL clears them.  @return 0, VAE_EPARAM or VAE_ENOMEM. */
int vae_model_set_names(vae_model *m, const char *const *names, size_t n, vae_err *e);
/*! @return column i's name, or NULL when the model's columns are unnamed. */
const char *vae_model_name(const vae_model *m, size_t i);

/* Labels.  A model with classes (arch n_classes) takes each row's label
 * as a class index 0 .. n_classes - 1 in a float array beside the rows,
 * NAN where a row has none (NULL: no row has one). */

/*! vae_model_set_classes() : name the label (name may be NULL) and its
 *  n classes (texts, copied; n must be the arch's n_classes).
 *  @return 0, VAE_EPARAM or VAE_ENOMEM. */
int vae_model_set_classes(vae_model *m, const char *name, const char *const *classes, size_t n,
                          vae_err *e);
/*! @return the number of classes (0: no label), the texts in *classes
 *  (borrowed; may be NULL) and the label's name in *name (NULL when it has
 *  none; may be NULL). */
size_t vae_model_classes(const vae_model *m, const char *const **classes, const char **name);
/*! vae_model_class() : @return the index of the class whose text is s
 *  (len bytes), or -1 when the model has none such. */
long vae_model_class(const vae_model *m, const char *s, size_t len);

/*! vae_model_set_image() : the rows are h x w images (0, 0: they are not). */
void vae_model_set_image(vae_model *m, uint32_t h, uint32_t w);
/*! @return non-zero when the rows are images, with their shape in *h, *w. */
int vae_model_image(const vae_model *m, uint32_t *h, uint32_t *w);

/*! vae_model_fit_scale() : choose each column's offset and scale from x
 *  (mean and standard deviation, or minimum and range); a constant column
 *  gets scale 1.  With pooled set, all columns share one offset and scale
 *  fitted on every value (images: a pixel is a pixel wherever it is).
 *  @return 0, or VAE_EPARAM for an unknown kind. */
int vae_model_fit_scale(vae_model *m, const vae_mat *x, int kind, int pooled, vae_err *e);
/*! vae_model_fit_scale_rows() : the same from rows on disk, read a block
 *  at a time; the same scaling as from the rows in memory.  @return 0,
 *  VAE_EPARAM, VAE_ENOMEM or VAE_EIO. */
int vae_model_fit_scale_rows(vae_model *m, vae_rows *src, int kind, int pooled, vae_err *e);
int vae_model_scale_kind(const vae_model *m);
/*! Column i's scaling: x_scaled = (x - offset) / scale. */
void vae_model_scaling(const vae_model *m, size_t i, float *offset, float *scale);
/*! In place: user units to the model's units, and back. */
void vae_model_scale(const vae_model *m, vae_mat *x);
void vae_model_unscale(const vae_model *m, vae_mat *x);

/* The quantiles of the training rows' scores, for thresholds like p99.9:
 * VAE_N_QUANTILES probabilities i / (VAE_N_QUANTILES - 1), per metric,
 * recon and elbo at z = mu over every row, nll with VAE_CALIBRATE_SAMPLES
 * draws over up to VAE_CALIBRATE_ROWS rows spread evenly. */
#define VAE_N_QUANTILES 1001
#define VAE_CALIBRATE_SAMPLES 100
#define VAE_CALIBRATE_ROWS 1000
/*! @return the score at probability p (0..1) for a metric, interpolated,
 *  or NAN when the model holds none. */
float vae_model_quantile(const vae_model *m, int metric, double p);
/*! vae_model_calibration() : how a metric's quantiles were measured: over
 *  *rows training rows with *samples draws each (0: at z = mu).
 *  @return 1, or 0 when the model holds none for it. */
int vae_model_calibration(const vae_model *m, int metric, uint64_t *rows, unsigned *samples);
/*! vae_model_default_metric() : the metric vae-score uses when none is
 *  asked for: VAE_METRIC_ELBO, whose KL term flags a row that the decoder
 *  has learnt to reconstruct but whose code is unlike the others' (an
 *  anomaly among the training rows); VAE_METRIC_RECON for an autoencoder
 *  (no KL) and for a model of bernoulli columns only, whose -log p(x|z)
 *  has a floor that varies with the row (the entropy of its pixels), which
 *  recon leaves out. */
int vae_model_default_metric(const vae_model *m);
/*! vae_model_pvalue() : the empirical p-value of a score against the
 *  training rows' scores, (1 + #{rows scoring at least as high}) / (n + 1),
 *  read off the stored quantiles.  @return it, or NAN without them. */
double vae_model_pvalue(const vae_model *m, int metric, float score);

/* ======================================================================
 * Training
 * ==================================================================== */

/* One epoch's figures, handed to the progress hook. */
/* Where training is, handed to the progress hook: during an epoch (done
 * is 0, about four times a second) and at its end (done is 1). */
typedef struct vae_epoch {
	uint32_t epoch, epochs;
	int done;                   /* the epoch is complete */
	uint64_t rows, rows_done;   /* training rows per epoch; rows so far */
	double seconds;             /* wall time of this epoch so far */
	double loss, recon, kl;     /* means per row so far: -ELBO = recon + kl, nats */
	double val;                 /* validation rows' mean -ELBO at z = mu, or NAN */
	float beta, lr;             /* this epoch's KL weight and learning rate */
	int best;                   /* this epoch is the best so far (kept) */
	uint64_t window;            /* streaming (vae_fit_rows): training rows a
	                             * window holds; 0 with the rows in memory */
} vae_epoch;

/* Return non-zero from the hook to stop training (at the end of an epoch). */
typedef int (*vae_progress_fn)(const vae_epoch *ep, void *user);

/* Processes that train one model together, data-parallel (vae-fit under
 * MPI).  Global row i of the fit is held by the process whose rank is
 * i % size, as row i / size of its matrix (vae_comm_share keeps those): by
 * the row's number alone, so a process finds where any row is without
 * knowing how many the others hold.  Every process runs vae_fit with the
 * same model, options and seed, and so draws the same permutation of the
 * global rows; each computes the rows of each batch that it holds, seeded
 * by their place in the batch, and the library asks for sums only where a
 * step needs every row: the gradient, the batch's KL by dimension, its
 * loss, and the scores of trimming, validation and calibration.  The sums
 * are the program's to do, called only from the thread that called
 * vae_fit: each adds x[0..n) of every process in place, and every process
 * must get the same bits back (so that all take the same decisions).  A
 * failure must end every process, since the others wait in the sum. */
typedef struct vae_comm {
	int rank, size;             /* this process, and how many: 0 <= rank < size */
	void (*sum_float)(float *x, size_t n, void *user);
	void (*sum_double)(double *x, size_t n, void *user);
	void *user;
} vae_comm;

/*! vae_comm_share() : keep in x only the rows that process c->rank holds
 *  (see vae_comm), in place.  @return nothing. */
void vae_comm_share(const vae_comm *c, vae_mat *x);

typedef struct vae_fit_opts {
	uint32_t epochs;
	size_t batch;
	float lr, beta;
	uint64_t seed;
	uint32_t warmup;            /* epochs over which beta rises from 0, linearly */
	float free_bits;            /* nats per latent dimension below which its
	                             * batch-mean KL is not penalised */
	float noise;                /* denoising: sd of Gaussian noise on the input */
	float mask;                 /* denoising: chance that an input value is zeroed */
	float lr_decay;             /* learning rate factor per epoch (1: constant) */
	uint32_t average;           /* the weights written and validated: the
	                             * steps' averaged over about this many steps
	                             * (exponentially, decay 1 - 1/average); 0 or
	                             * 1: the last step's; VAE_AVERAGE_EPOCH */
	float clip;                 /* largest gradient norm, rescaled to it (0: none) */
	float val;                  /* fraction of rows held out for validation */
	uint32_t patience;          /* stop after this many epochs without a better
	                             * validation loss (0: never); needs val */
	float trim;                 /* leave each batch's worst share of rows (by
	                             * -ELBO at z = mu) out of its step: rows that
	                             * are anomalies do not teach the model */
	uint32_t chosen;            /* VAE_CHOSE_* bits, kept in the record */
	unsigned threads;           /* threads, each taking a share of every batch
	                             * (0: one per core) */
	float label_weight;         /* vae_fit_labelled: how much a labelled row's
	                             * -log q(y|x) counts beside a row's -ELBO
	                             * (0: VAE_LABEL_WEIGHT) */
	size_t memory;              /* vae_fit_rows: bytes its rows in memory may
	                             * take (a window of them, the validation rows) */
	vae_progress_fn progress;   /* may be NULL */
	void *user;
	const vae_comm *comm;       /* the processes training together, x holding
	                             * this one's share of the rows (NULL: this
	                             * process alone, x holding them all) */
} vae_fit_opts;

/* How much a labelled row's -log q(y|x) counts beside a row's -ELBO in
 * vae_fit_labelled, by default: near the best of 2, 20 and 180 on
 * scikit-learn's digits with 30 and 100 labels (bench/semisup-digits.py;
 * 2 is 0.2 to 0.4 points better there), the best of 1, 5, 20, 60, 180 and
 * 1000 on Fashion-MNIST with 100 (bench/semisup.py; 1 and 5 much worse). */
#define VAE_LABEL_WEIGHT 20.0f

/* vae_fit_opts.average by default: the weights averaged over an epoch's
 * steps, at most VAE_AVERAGE_MAX of them. */
#define VAE_AVERAGE_EPOCH UINT32_MAX
#define VAE_AVERAGE_MAX 1000

/*! vae_fit_defaults() : @return the defaults vae-fit prints in --help. */
vae_fit_opts vae_fit_defaults(void);

/* What vae_plan sized from the data, and what the caller gave: bits. */
enum {
	VAE_CHOSE_LATENT = 1, VAE_CHOSE_HIDDEN = 2, VAE_CHOSE_BATCH = 4,
	VAE_CHOSE_EPOCHS = 8, VAE_CHOSE_VAL = 16
};

/*! vae_plan() : size a fit of rows x cols (model columns; image rows
 *  are one column a pixel) from the data, for what `given` (VAE_CHOSE_*
 *  bits) does not name: the latent size and hidden layer from the
 *  columns, the batch and epochs from the rows (enough Adam steps for a
 *  small table), and with enough rows a validation share whose loss stops
 *  training and whose scores give the thresholds.  Sets o->chosen.
 *  @return nothing. */
void vae_plan(size_t rows, size_t cols, unsigned given, vae_arch *a, vae_fit_opts *o);

/*! vae_check_fit_opts() : @return NULL when valid, else a constant
 *  message naming the bad option ("batch size is 0"). */
const char *vae_check_fit_opts(const vae_fit_opts *o);

/*! vae_fit() : train m on the rows of x, already in the model's units
 *  (see vae_model_scale), with minibatch Adam on the negative ELBO (for an
 *  autoencoder, the reconstruction term alone), continuing the optimiser
 *  state m holds (a loaded model resumes where it stopped).  With val, a
 *  seeded fraction of the rows is held out, the weights of the epoch with
 *  the best validation loss are kept, and patience stops early.  Then store
 *  the training record and the quantiles of the rows' scores.
 *  o->threads threads share each batch, each calling BLAS for its share:
 *  set vae_set_threads(1) first, as the programs do, or the team's
 *  products compete for the cores with BLAS's own threads (the library
 *  never changes that process-wide setting itself).
 *  The same seed and thread count give the same model bit for bit; another
 *  thread count, the same but for rounding.
 *  @return 0; VAE_EPARAM; VAE_ENOMEM; VAE_ENUMERIC when the loss is no
 *  longer finite (no step is taken from a non-finite loss, but m should
 *  not be saved). */
int vae_fit(vae_model *m, const vae_mat *x, const vae_fit_opts *o, vae_err *e);

/*! vae_fit_labelled() : vae_fit for a model with classes, y[r] row r's
 *  class or NAN (see vae_model_set_classes).  A row with a label trains
 *  -ELBO(x, y) and the classifier q(y|x), its cross-entropy weighted by
 *  o->label_weight (Kingma et al.'s alpha, per row); a row without one
 *  the expectation over q(y|x) of -ELBO(x, y) less the entropy of q(y|x),
 *  a bound on -log p(x).  When some rows have no label, each step adds
 *  half a batch of labelled rows (in a shuffled cycle) to its batch, so
 *  that a few labels are seen in every step; validation rows are drawn
 *  from the rows without a label.  In one process, with the rows in
 *  memory.  @return as vae_fit; VAE_EPARAM when y is not NULL and the
 *  model has no classes, or a label is not one of them, or with o->comm. */
int vae_fit_labelled(vae_model *m, const vae_mat *x, const float *y, const vae_fit_opts *o,
                     vae_err *e);

/*! vae_fit_rows() : vae_fit on rows on disk, in user units, in o->memory
 *  bytes: each epoch reads the spool's blocks (vi_spool_block rows) in a
 *  shuffled order, a window of them at a time (half of o->memory), and
 *  takes its batches from the window's rows shuffled, scaled as they are
 *  read.  The validation rows (o->val of them, but at most an eighth of
 *  o->memory) are held in memory; without them the score quantiles come
 *  from a window of blocks spread over the rows.  Otherwise as vae_fit,
 *  whose model it matches in quality, not bit for bit (the order of the
 *  rows differs).  @return as vae_fit; VAE_EIO; VAE_EPARAM when o->memory
 *  cannot hold a window of two batches, or with o->comm (processes that
 *  train together hold their shares of the rows in memory). */
int vae_fit_rows(vae_model *m, vae_rows *src, const vae_fit_opts *o, vae_err *e);

/* ======================================================================
 * Inference: encode, decode, score, in batches of up to max_rows rows
 * ==================================================================== */

typedef struct vae_ctx vae_ctx;

/* Inference computes rows in blocks of exactly this many, zero-padded, so
 * each row's result is the same whatever rows come with it.  Callers that
 * split work between threads split it at multiples of this. */
#define VAE_BLOCK_ROWS 64

/*! vae_block_share() : part `part` of `parts` (0 <= part < parts) of rows
 *  [0, rows), cut at multiples of VAE_BLOCK_ROWS, so that threads which
 *  each take one part compute every row as it would be computed alone.
 *  Parts are contiguous and in order and differ by at most one block: part
 *  p ends at block floor(blocks (p + 1) / parts).  Training splits its
 *  batches this way, so the split is part of what makes a model the same
 *  bit for bit for a thread count: it must not change.
 *  @return nothing; the part's rows are [*r0, *r1), empty (*r0 == *r1)
 *  for some parts when there are fewer blocks than parts. */
void vae_block_share(size_t rows, int part, int parts, size_t *r0, size_t *r1);

/*! vae_ctx_new() : work buffers: for training batches of up to max_rows
 *  rows; the inference calls below take any number of rows and compute
 *  them in fixed blocks, so each row's result is the same whatever rows
 *  come with it (a split input gives the serial output byte for byte).
 *  @return the context, or NULL with e filled (VAE_ENOMEM). */
vae_ctx *vae_ctx_new(const vae_model *m, size_t max_rows, vae_err *e);
void vae_ctx_free(vae_ctx *c);

/*! vae_encode_level() : x (rows x n_in, user units) to the codes of latent
 *  level 1 or 2 (vae_model_latent): the mean mu of q(z1|x), or of
 *  q(z2|z1) at z1 = the mean of q(z1|x), and when logvar is not NULL the
 *  log-variances (rows x that level's size each).  With sample non-zero,
 *  mu receives a draw instead: z1 = mu1 + sigma1 * eps1, and at level 2
 *  z2 drawn from q(z2|z1) at that z1, eps drawn from the seed and each
 *  row's values.  @return 0, or VAE_EPARAM for mismatched shapes or a
 *  level the model does not have. */
int vae_encode_level(vae_ctx *c, int level, const vae_mat *x, vae_mat *mu, vae_mat *logvar,
                     int sample, uint64_t seed, vae_err *e);

/*! vae_encode() : vae_encode_level at level 1. */
int vae_encode(vae_ctx *c, const vae_mat *x, vae_mat *mu, vae_mat *logvar,
               int sample, uint64_t seed, vae_err *e);

/* vae_decode_level draws: bits */
#define VAE_DRAW_X 1            /* x from p(x|z1) instead of its mean */
#define VAE_DRAW_Z1 2           /* level 2: z1 from p(z1|z2) instead of its mean */

/*! vae_decode_level() : latent codes z of level 1 or 2 (rows x that
 *  level's size) to out (rows x n_in, user units): at level 2, z1 is the
 *  mean of p(z1|z2), or a draw with VAE_DRAW_Z1; then the mean of p(x|z1),
 *  or a draw with VAE_DRAW_X.  Draws are seeded from the seed and each row
 *  of the codes they are drawn from.  @return 0, or VAE_EPARAM for
 *  mismatched shapes or a level the model does not have. */
int vae_decode_level(vae_ctx *c, int level, const vae_mat *z, vae_mat *out, int draws,
                     uint64_t seed, vae_err *e);

/*! vae_decode() : vae_decode_level at level 1, a draw of x when sample is
 *  non-zero. */
int vae_decode(vae_ctx *c, const vae_mat *z, vae_mat *out, int sample,
               uint64_t seed, vae_err *e);

/*! vae_score() : one anomaly score per row of x (user units) into
 *  score[0..rows), in nats of the model's units:
 *  VAE_METRIC_RECON   the reconstruction error at z = mu (or averaged over
 *                     samples draws z ~ q(z|x)): how far -log p(x|z) is
 *                     above its value for a perfect reconstruction (the
 *                     decoder's output equal to x), summed over the
 *                     columns, as vae_explain shares it out; for gaussian
 *                     and laplace that is -log p(x|z) less a constant, for
 *                     bernoulli KL(x || p), free of the floor a grey
 *                     image's own entropy puts under -log p;
 *  VAE_METRIC_ELBO    -log p(x|z) plus KL(q(z|x) || N(0, I)): the negative
 *                     ELBO (an autoencoder's has no KL).  Two levels at
 *                     z = mu: -log p(x|mu1) + KL(q(z1|x) || p(z1|mu2)) +
 *                     KL(q(z2|mu1) || N(0, I)); with draws, the mean of
 *                     each draw's log q(z1, z2|x) - log p(x, z1, z2);
 *  VAE_METRIC_NLL     -log p(x) estimated with the importance-weighted
 *                     bound over samples draws (IWAE; samples >= 1), of
 *                     (z1, z2) from q(z1|x) q(z2|z1) with two levels.
 *  Draws are seeded from the seed and each row's values: a row's score
 *  depends on the row, the model and the seed only.  A row with a cell
 *  its column cannot take (vae_reader_impossible) scores +inf; a score
 *  beyond the range of a float, FLT_MAX.
 *  @return 0, or VAE_EPARAM (an autoencoder has no NLL). */
int vae_score(vae_ctx *c, const vae_mat *x, int metric, unsigned samples, uint64_t seed,
              float *score, vae_err *e);

/*! vae_score_labelled() : vae_score with each row's label y[r] (a class
 *  index, or NAN for none; y NULL: none has one) for a model with classes:
 *  a row with a label is scored under it, -ELBO(x, y) = -log p(x|z,y) +
 *  KL(q(z|x,y) || N(0, I)) - log p(y) (recon and nll likewise under y); a
 *  row without one over every class, weighted by q(y|x): elbo is
 *  sum_y q(y|x) -ELBO(x, y) + KL(q(y|x) || p(y)), a bound on -log p(x),
 *  recon the expectation of recon, nll the IWAE bound of each class
 *  summed over the classes.  vae_score is this with y NULL.
 *  @return as vae_score; VAE_EPARAM for a label that is not a class. */
int vae_score_labelled(vae_ctx *c, const vae_mat *x, const float *y, int metric,
                       unsigned samples, uint64_t seed, float *score, vae_err *e);

/*! vae_predict() : each row's likeliest class under q(y|x) into label[r]
 *  (an index, as a float) and its probability into prob[r] (may be NULL).
 *  @return 0, or VAE_EPARAM when the model has no classes. */
int vae_predict(vae_ctx *c, const vae_mat *x, float *label, float *prob, vae_err *e);

/*! vae_encode_labelled() : vae_encode (level 1) of a model with classes,
 *  the code of q(z|x,y) under each row's label y[r], or where it has none
 *  (NAN, or y NULL) under its likeliest class (vae_predict): what
 *  vae_encode does for such a model. */
int vae_encode_labelled(vae_ctx *c, const vae_mat *x, const float *y, vae_mat *mu,
                        vae_mat *logvar, int sample, uint64_t seed, vae_err *e);

/*! vae_decode_labelled() : vae_decode_level (level 1) of a model with
 *  classes, p(x|z,y) under each row's class y[r]; where it is NAN (or y
 *  NULL) the class is drawn from p(y), uniform, seeded from the seed and
 *  the row's code: what vae_decode does for such a model. */
int vae_decode_labelled(vae_ctx *c, const vae_mat *z, const float *y, vae_mat *out, int draws,
                        uint64_t seed, vae_err *e);

/*! vae_explain() : each column's share of each row's reconstruction
 *  divergence at z = mu into share (rows x n_in, each row summing to 1, or
 *  all 0 when the row is reconstructed exactly): for a column, how far x is
 *  from what the decoder predicts: (x - m)^2 / 2 sigma^2 (gaussian),
 *  |x - m| / b (laplace), KL
 *  between Bernoulli(x) and Bernoulli(p) (bernoulli).  So the column that
 *  made a row odd comes first: each is the column's part of the recon
 *  metric, -log p(x|z) above its value for a perfect reconstruction.
 *  @return 0, or VAE_EPARAM. */
int vae_explain(vae_ctx *c, const vae_mat *x, float *share, vae_err *e);

/*! vae_explain_labelled() : vae_explain for a model with classes, each
 *  row reconstructed under its label y[r] (a class index, as
 *  vae_score_labelled takes it) or, where y is NULL or y[r] is NaN, under
 *  its likeliest class: the reconstruction the row's score is made of.
 *  @return 0, or VAE_EPARAM (as vae_explain, or a label that is not a
 *  class). */
int vae_explain_labelled(vae_ctx *c, const vae_mat *x, const float *y, float *share,
                         vae_err *e);

/*! vae_impute() : fill the missing cells (NAN) of x (user units) in place
 *  from the decoder, every other cell left as it is.  With sample zero,
 *  the most likely value given the observed cells: the decoder's outputs
 *  averaged over draws codes z ~ q(z|x) (draws 0: z = mu), then the mean
 *  (real, positive: on the logarithm), the rounded mean (count), the most
 *  probable level (binary, cat).  With sample set, one draw of z and one
 *  of each missing cell from p(x|z), for multiple imputation.  Draws are
 *  seeded from the seed and each row's values.  @return 0, or VAE_EPARAM
 *  for mismatched shapes. */
int vae_impute(vae_ctx *c, vae_mat *x, unsigned draws, int sample, uint64_t seed, vae_err *e);

/*! vae_set_threads() : BLAS's threads for each matrix product (0: leave
 *  it as it is), a setting of the whole process, made by the program.
 *  Products split between threads round differently in the last bits:
 *  programs that promise the same output for any thread count use 1 here
 *  and run contexts in parallel over whole blocks instead. */
void vae_set_threads(int n);

/*! vae_set_portable() : portable mode on (on != 0) or off, a setting of the
 *  whole process, made by the program before its first other call (the
 *  programs do it for --portable and VAE_PORTABLE=1; the library never
 *  reads the environment).  Off, the default, the matrix products are
 *  OpenBLAS's and the element-wise functions libm's and the CPU's best
 *  vector code, all chosen by CPU, so another kind of CPU may round the
 *  last bits differently.  On, every product is the library's own, each
 *  element one chain of fused multiply-adds in a fixed order (AVX2 and FMA
 *  where the CPU has them, the same operations in plain C elsewhere), and
 *  exp, log, lgamma... are the library's own: a model, its input and its
 *  options give the same bytes on any host, and vae_fit the same model.
 *  It costs time: see vae(7), DETERMINISM. */
void vae_set_portable(int on);

/*! vae_portable() : @return 1 in portable mode, else 0. */
int vae_portable(void);

/* The number format of the matrix products (vae_set_compute). */
enum vae_compute { VAE_COMPUTE_F32, VAE_COMPUTE_BF16 };

/*! vae_set_compute() : the matrix products' inputs in float32 (the
 *  default) or bfloat16, a setting of the whole process, made by the
 *  program before its first other call but vae_set_portable.  bf16 rounds
 *  each product's two operands to bfloat16 (8 significant bits) and
 *  accumulates in float32; weights, gradients, Adam's state and all
 *  element-wise work stay float32.  It runs through oneDNN on CPUs that
 *  multiply bfloat16 (AVX512_BF16, AMX), in about half the time of the
 *  float32 products, on the calling thread alone (split the rows between
 *  threads, as vae_fit's team and the programs' workers do).  @return 0,
 *  or VAE_EPARAM with the reason in e when bf16 cannot run here (a build
 *  without oneDNN, a CPU without bfloat16 products, portable mode, which
 *  computes in float32): the setting is then left as it was. */
int vae_set_compute(int mode, vae_err *e);

/*! vae_compute() : @return the setting, VAE_COMPUTE_F32 or VAE_COMPUTE_BF16. */
int vae_compute(void);

/* ======================================================================
 * Reading rows: delimited text (gzip or plain), chunk by chunk
 * ==================================================================== */

enum vae_format { VAE_FMT_AUTO, VAE_FMT_CSV, VAE_FMT_TSV, VAE_FMT_NPY, VAE_FMT_IDX, VAE_FMT_PNG };
enum vae_header { VAE_HEADER_AUTO = -1, VAE_HEADER_NO = 0, VAE_HEADER_YES = 1 };
/* A missing value: an empty field, NA, N/A, NaN, NULL, ?, or a number that
 * is not finite. */
enum vae_missing {
	VAE_MISSING_ERROR,      /* an error naming the cell */
	VAE_MISSING_SKIP,       /* the row is dropped, and counted */
	VAE_MISSING_MASK        /* the cell reads as NAN: left out of the likelihood */
};

typedef struct vae_reader vae_reader;

typedef struct vae_read_opts {
	int format;                 /* VAE_FMT_AUTO, _CSV, _TSV, _NPY or _IDX */
	int header;                 /* VAE_HEADER_AUTO, _NO or _YES (text only) */
	int delim;                  /* text: the field delimiter, 0 to sniff it */
	int missing;                /* enum vae_missing */
} vae_read_opts;

/*! vae_read_defaults() : sniffed format, header and delimiter; missing
 *  values are errors. */
vae_read_opts vae_read_defaults(void);

/*! vae_reader_open() : open path ("-" or NULL for stdin, named "<stdin>"),
 *  undo gzip (one or more members) if present, and sniff the format: NPY
 *  ("\x93NUMPY", versions 1 to 3, '<f4' '<f8' and integer dtypes, C order,
 *  or Fortran order read whole first, N-D arrays flattened per row in C
 *  order), IDX (00 00 type rank, every type 0x08 to
 *  0x0E, big-endian; an N x H x W tensor is N rows of H*W values and an
 *  image shape), else delimited text (tab if the first line has one, else
 *  comma), after a UTF-8 byte-order mark if there is one.  For text, the
 *  first record is read to decide whether it is a header (VAE_HEADER_AUTO:
 *  a first row with any non-numeric field is one, but see
 *  vae_reader_select).
 *  Reads return what the input has, so a pipe is answered row by row.
 *  @return the reader, or NULL with e filled (VAE_ENOINPUT, VAE_EIO,
 *  VAE_EDATA naming what is wrong: too short for its header, unknown
 *  magic, a bad header). An empty input is a reader with no fields. */
vae_reader *vae_reader_open(const char *path, const vae_read_opts *o, vae_err *e);
void vae_reader_close(vae_reader *r);

/*! vae_rows_open() : the rows of r's file read in place, without a copy,
 *  for vae_fit_rows: r a plain (not gzipped) NPY or IDX file, just opened
 *  and its columns selected (every field a column, in order, none kept),
 *  NPY in C order, of elements of up to 4 bytes (not float64 or 64-bit
 *  integers).  The values are not checked here: read them through r once
 *  for that.
 *  @return the rows (read only), or NULL: VAE_EPARAM when r's file is not
 *  such a file, VAE_ENOMEM. */
vae_rows *vae_rows_open(const vae_reader *r, vae_err *e);

/*! @return the format found (VAE_FMT_CSV, _TSV, _NPY or _IDX). */
int vae_reader_format(const vae_reader *r);
/*! @return the bytes read from the input so far (gzipped ones as they
 *  are), and its size when it is a regular file (0 otherwise), for
 *  progress. */
uint64_t vae_reader_bytes(const vae_reader *r);
uint64_t vae_reader_size(const vae_reader *r);
/*! @return non-zero when the rows are images (an H x W tensor per row),
 *  with the shape in *h, *w. */
int vae_reader_image(const vae_reader *r, uint32_t *h, uint32_t *w);
/*! @return the rows dropped for missing values so far (VAE_MISSING_SKIP). */
unsigned long vae_reader_skipped(const vae_reader *r);
/*! @return the number of fields of the first record (0 for empty input). */
size_t vae_reader_n_fields(const vae_reader *r);
/*! @return field i's header name, or NULL when the input has no header. */
const char *vae_reader_name(const vae_reader *r, size_t i);
const char *vae_reader_path(const vae_reader *r);

/*! vae_reader_select() : choose the model columns and the pass-through
 *  columns.  fields and keep are lists like cut's ("1,3-5") or header names
 *  ("host,bytes"), or NULL.  With names (the model's n column names) and a
 *  header, the model columns are found by name, in the model's order, among
 *  the fields the list allows; otherwise they are the fields list, or every
 *  field not kept, in input order, and must number n when n > 0.
 *  A first line guessed to be a header (VAE_HEADER_AUTO) that names none
 *  of the n names is data when it would be a row (the lists name fields
 *  by number, and its model columns are n numbers or missing values);
 *  otherwise it is an error, about VAE_ABOUT_HEADER_GUESS.  Taken by
 *  position from a header, a field whose name is empty (as R's row names
 *  are) is no model column unless fields names it: see vae_reader_unnamed.
 *  @return 0, or VAE_EPARAM / VAE_EDATA naming the column at fault. */
int vae_reader_select(vae_reader *r, const char *fields, const char *keep,
                      const char *const *names, size_t n, vae_err *e);

/*! vae_reader_unnamed() : @return the number of fields that the last
 *  vae_reader_select left out of the model columns because their header
 *  name is empty, with the first one's index (0-based) in *first (may be
 *  NULL), so a program can say so. */
size_t vae_reader_unnamed(const vae_reader *r, size_t *first);

/*! vae_reader_keep_all() : with on, the kept fields of each row are
 *  followed in the vae_text by every one of its fields, as given (numbers
 *  of binary input printed with %.17g), so a filter can print a row as it
 *  was read. */
void vae_reader_keep_all(vae_reader *r, int on);

/*! @return the number of model columns and of kept columns selected. */
size_t vae_reader_n_cols(const vae_reader *r);
size_t vae_reader_n_keep(const vae_reader *r);
/*! @return the name of selected model column j / kept column j (a header
 *  name, or NULL without a header). */
const char *vae_reader_col_name(const vae_reader *r, size_t j);
const char *vae_reader_keep_name(const vae_reader *r, size_t j);
/*! @return the 1-based field number in the input of selected model column
 *  j, so a message can name it as the user counts fields (0 if none). */
size_t vae_reader_col_field(const vae_reader *r, size_t j);
/*! @return the 1-based field number of kept column j (0 if none). */
size_t vae_reader_keep_field(const vae_reader *r, size_t j);

/*! vae_reader_use_model() : after vae_reader_select, read each model
 *  column as m's column of that index says: a binary or cat column's text
 *  as its level's index (a number as the level of that value, so "1.0"
 *  reads as level "1"), a value not among the levels as the "other" level
 *  when the column has one and else as an error naming it; a count must
 *  be a whole number >= 0 and a positive column's value > 0.
 *  @return 0, or VAE_EPARAM when the widths differ, VAE_ENOMEM. */
int vae_reader_use_model(vae_reader *r, const vae_model *m, vae_err *e);

/*! vae_reader_impossible() : with on, after vae_reader_use_model, a
 *  value its column cannot take (a level not seen in training, a count
 *  that is not a whole number >= 0, a positive value <= 0) reads as a NaN
 *  that vae_is_impossible tells, instead of an error: the model gives it probability 0,
 *  so vae_score gives its row the score +inf (and vae_explain the
 *  column the share +inf); the other calls take it as a NaN. */
void vae_reader_impossible(vae_reader *r, int on);
/*! vae_is_impossible() : @return 1 when v is the NaN of its own (a
 *  missing cell's has another payload) that vae_reader_impossible reads
 *  for a value its column cannot take, else 0. */
int vae_is_impossible(float v);

/* What vae-fit learns of each column's values while it reads the training
 * rows, to choose the columns' kinds when they are all in. */
typedef struct vae_survey vae_survey;

/*! vae_survey_new() : a survey of n columns.  @return it, or NULL. */
vae_survey *vae_survey_new(size_t n);
void vae_survey_free(vae_survey *s);

/*! vae_reader_survey() : after vae_reader_select, record each model cell's
 *  text in s (whose columns are the reader's model columns, in order): a
 *  number reads as itself, other text as a code of s's that only
 *  vae_survey_decide reads, a missing cell (VAE_MISSING_MASK) as NAN.
 *  Several readers may feed one survey in turn.  @return 0, or
 *  VAE_EPARAM when the widths differ. */
int vae_reader_survey(vae_reader *r, vae_survey *s, vae_err *e);

/*! vae_survey_decide() : choose each column's kind and levels from what s
 *  saw, and turn x (the rows read through s) into the columns' user
 *  values in place.  kinds[j] is column j's kind, or -1 to detect it
 *  (kinds NULL: detect all): any text makes a binary column (two distinct
 *  values, and other not set) or a cat column, but more numbers than text
 *  and more than 20 distinct values is an error (about VAE_ABOUT_TYPES: a
 *  header read as data, a stray word); numbers only make a binary column (two distinct values), a cat
 *  column (codes: 3 to 10 distinct whole numbers, each >= 10, over a range
 *  more than twice their number), a count (whole numbers from 0 to 2^24,
 *  some of them 0: counts of events; negative binomial when it
 *  fits the values better than Poisson by AIC), a positive column (all
 *  > 0, spanning a factor of 10 or more, less skewed as logarithms), else a
 *  real one.  numbers, when not -1, is the kind of every detected column
 *  that holds numbers only (VAE_KIND_REAL when the user chose the
 *  likelihood).  other reserves an "other" level in each cat column.
 *  Levels are ordered by value when they are all numbers, else bytewise.
 *  cols gets x->cols columns: free with vae_columns_free.  names (may be
 *  NULL) name the columns in messages.
 *  @return 0, or VAE_EDATA naming the column: text in a column of a
 *  numeric kind, a value its kind cannot take, more than VAE_MAX_LEVELS
 *  distinct values in a binary or cat column, or more than 2 in a binary. */
int vae_survey_decide(vae_survey *s, vae_mat *x, const int *kinds, int numbers, int other,
                      const char *const *names, vae_column **cols, vae_err *e);
/*! vae_survey_decide_rows() : the same for rows on disk (a spool of
 *  vae-fit's), a column gathered into memory at a time and the level
 *  columns converted in place a block at a time: memory holds one
 *  column, not the rows.  @return as vae_survey_decide; VAE_ENOMEM when a
 *  column does not fit; VAE_EIO. */
int vae_survey_decide_rows(vae_survey *s, vae_rows *src, const int *kinds, int numbers,
                           int other, const char *const *names, vae_column **cols, vae_err *e);

/*! vae_reader_read() : read up to max rows into x (capacity max x n_cols,
 *  x->rows set) and their kept fields into keep (may be NULL).  A missing
 *  value (an empty field, NA, N/A, NaN, NULL, or a number that is not
 *  finite) is an error unless missing says otherwise.  In binary
 *  input, "line" in errors is the row number and "column" the value's.
 *  @return the number of rows read (0 at the end), or a negative code with
 *  e naming file, line and column (VAE_EDATA, VAE_EIO, VAE_ENOMEM). */
long vae_reader_read(vae_reader *r, vae_mat *x, vae_text *keep, size_t max, vae_err *e);

/* ======================================================================
 * Writing rows
 * ==================================================================== */

typedef struct vae_writer vae_writer;

typedef struct vae_write_opts {
	int format;                 /* VAE_FMT_CSV, _TSV, _NPY, _IDX or _PNG */
	int precision;              /* text: significant digits, %.{precision}g */
	int unbuffered;             /* text: flush after every row */
	int compress;               /* npy, idx: gzip level 1..9, 0 writes plain;
	                             * png: deflate level, 0 means 6 */
	size_t image_h, image_w;    /* png: the shape of one row's image */
	size_t tiles;               /* png: tiles across (0: ceil(sqrt(rows))) */
	float lo, hi;               /* png: values mapped to black and white;
	                             * lo >= hi: the output's own range */
	size_t width;               /* binary: every row's width, also declared when
	                             * no row is written (0: the first row's) */
} vae_write_opts;

/*! vae_write_defaults() : csv, precision 6, buffered, gzip level 1, no
 *  image shape, png range from the output. */
vae_write_opts vae_write_defaults(void);

/*! vae_writer_new() : write rows to fp.  Text floats print as %.*g in the C
 *  locale.  The binary formats hold float32 rows of one width: NPY ('<f4',
 *  version 1.0, C order, shape (rows, width), data at a multiple of 64
 *  bytes) and IDX (type 0x0D, 2 dimensions, big-endian, rows x width),
 *  gzip-compressed unless compress is 0; PNG (8-bit grey) tiles each row as
 *  an image_h x image_w image into one grid, tiles across (ceil(sqrt(rows))
 *  when 0),
 *  with 2 black pixels between the tiles and around the grid and empty cells
 *  black; a value v is round(255 (v - lo) / (hi - lo)) clamped to 0..255,
 *  lo and hi being the options' or, when lo >= hi, the least and greatest
 *  finite values written (NaN is black).  No rows at all make an NPY of
 *  shape (0, 0), an IDX of 0 x 0 and a PNG of one black pixel.  Binary rows
 *  are spooled to a temporary file until vae_writer_free, since their
 *  headers hold the row count: memory stays constant (PNG holds one band of
 *  tiles, image_h scanlines).
 *  @return the writer, or NULL with e filled: VAE_EPARAM (unknown format,
 *  compress outside 0..9, PNG without an image shape or with one too
 *  large, or with a width that does not fill it), VAE_ENOMEM, VAE_EIO (no
 *  temporary file). */
vae_writer *vae_writer_new(FILE *fp, const vae_write_opts *o, vae_err *e);

/*! vae_writer_free() : finish the output (binary: header, then the spooled
 *  rows, less those vae_write_end refused), flush, and free the writer (not
 *  fp).  @return 0; VAE_EIO if a write failed at any time (errno in e->sys);
 *  VAE_ENOMEM when a PNG's band of tiles does not fit in memory. */
int vae_writer_free(vae_writer *w, vae_err *e);
/*! vae_writer_discard() : free the writer (not fp) after a failure, without
 *  finishing the output: text rows already written are flushed and stay; a
 *  binary output, its rows spooled, gets no byte at all, so that what a
 *  failed run leaves can never parse as a complete NPY, IDX or PNG. */
void vae_writer_discard(vae_writer *w);

/* A row is built field by field and ended.  Text fields are quoted as RFC
 * 4180 requires (CSV) or when they hold a tab, quote or newline (TSV). */
void vae_write_text(vae_writer *w, const char *s, size_t len);
void vae_write_float(vae_writer *w, float v);
/*! vae_write_cell() : v as column col of a model prints it: in text, a
 *  binary or cat column's level text, a count as a whole number, other
 *  columns as vae_write_float; NAN as an empty field.  Binary formats take
 *  the float itself (a level's index).  col NULL: vae_write_float. */
void vae_write_cell(vae_writer *w, const vae_column *col, float v);
/*! vae_write_end() : end the row.  @return 0; VAE_EIO; VAE_EPARAM in a
 *  binary format for a text field, an empty row, a row of another width than
 *  the first (PNG: than image_h x image_w), more than 2^32 - 1 IDX rows, or
 *  a PNG grid wider or higher than 2^31 - 1 pixels.  A refused row is left
 *  out and the writer takes further rows. */
int vae_write_end(vae_writer *w, vae_err *e);

/* ======================================================================
 * Names: the words for the values of the enums above
 * ==================================================================== */

/* The enums (and the one flag) whose values have names. */
enum vae_name_kind {
	VAE_NAMES_LIKELIHOOD,   /* enum vae_likelihood: bernoulli, gaussian, laplace */
	VAE_NAMES_ACTIVATION,   /* enum vae_activation: relu, tanh, softplus */
	VAE_NAMES_SCALING,      /* enum vae_scaling: none, standard, minmax */
	VAE_NAMES_METRIC,       /* enum vae_metric: recon, elbo, nll */
	VAE_NAMES_FORMAT,       /* enum vae_format: auto, csv, tsv, npy, idx, png */
	VAE_NAMES_MISSING,      /* enum vae_missing: error, skip, mask */
	VAE_NAMES_KIND,         /* enum vae_kind: real, positive, count, binary, cat */
	VAE_NAMES_COMPUTE       /* enum vae_compute: f32, bf16 */
};

/*! vae_names() : the names of one enum's values, as programs take them in
 *  options and print them, so that every program uses the same words.
 *  @return the array, indexed by value from 0, with its length in *n
 *  (n may be NULL); NULL and 0 for an unknown kind.  Static: never free. */
const char *const *vae_names(enum vae_name_kind kind, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
