/* internal.h: what the library's files share and users never see. */
#ifndef VAE_INTERNAL_H
#define VAE_INTERNAL_H

#include <math.h>

#include "vae.h"

#define VI_MAX_LAYERS (VAE_MAX_HIDDEN + 1)

/* Hot element-wise loops are built for AVX-512 and AVX2 beside the
 * baseline, and the CPU's best is chosen when the program starts (GCC's
 * function multiversioning); the same machine always runs the same code.
 * The clones give the same bytes as the baseline but in lib/likelihood.c:
 * the library is built without fast math and with -ffp-contract=off, so a
 * vector lane does the scalar code's IEEE operations, in its order; only
 * likelihood.c's fast math differs by clone, and portable mode runs its
 * second build (likelihood_portable.o) instead.
 * Not under ThreadSanitizer, whose runtime is not up yet when the dynamic
 * linker runs the choosing functions. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define VI_VECTOR __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VI_VECTOR
#endif

/* Inference runs in blocks of exactly this many rows, zero-padded: BLAS
 * picks its kernels by the number of rows (this machine's OpenBLAS has a
 * separate path for small products), so a row's result would otherwise
 * depend on how many rows came with it, and a split input would not give
 * the serial run's output byte for byte. */
#define VI_BLOCK VAE_BLOCK_ROWS

static inline float vi_clampf(float v, float lo, float hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Clamps that keep exp() finite so the loss never becomes NaN. */
#define VI_LOGVAR_MIN (-30.0f)
#define VI_LOGVAR_MAX 20.0f
#define VI_OBS_LOGSCALE_MIN (-9.0f)   /* per-column log sigma^2 or log b */
#define VI_OBS_LOGSCALE_MAX 9.0f

/* ---- errors (error.c) ---- */

/* Fill e (if not NULL) and return code.  file may be NULL. */
int vi_fail(vae_err *e, int code, const char *file, unsigned long line,
             unsigned long column, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

/* Set what e is about (enum vae_about); @return code, for
 * "return vi_about(e, VAE_ABOUT_KEEP, vi_fail(e, ...))". */
static inline int vi_about(vae_err *e, int about, int code)
{
	if (e && code)
		e->about = about;
	return code;
}

/* ---- byte order ---- */

/* 1 when this machine stores numbers little-endian (the model file's
 * order, and NPY's usual one). */
static inline int vi_host_le(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 1;
}

/* ---- hashing texts for open-addressed tables (header names, levels) ---- */

/* FNV-1a of len bytes at s. */
static inline uint64_t vi_hash_text(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
	return h;
}

/* ---- checksums (crc.c) ---- */

/* zlib's crc32(crc, buf, n), the same value, by carry-less multiply where
 * the CPU has it. */
uint32_t vi_crc32(uint32_t crc, const void *buf, size_t n);

/* ---- random streams (rng.c) ---- */

/* Seed the i-th of a family of unrelated streams drawn from one seed. */
void vi_rng_seed_index(vae_rng *r, uint64_t seed, uint64_t i);

/* ---- portable mode, and the functions it computes with (portable.c) ---- */

/* Set by vae_set_portable: every function below then computes with
 * vi_p_* rather than libm, vi_gemm with vi_gemm_portable, and
 * vi_nll_obs and vi_divergence with likelihood.c's second build. */
extern int vi_portable;

/* exp, e^x - 1, log, log(1 + x), tanh, log Gamma (x > 0), x^y (x >= 0)
 * and cos(2 pi v), the same bytes on every host, within a few ulp of a
 * double. */
double vi_p_exp(double x);
double vi_p_expm1(double x);
double vi_p_log(double x);
double vi_p_log1p(double x);
double vi_p_tanh(double x);
double vi_p_lgamma(double x);
double vi_p_pow(double x, double y);
double vi_p_cos_turns(double v);
/* e^x and log x to 1e-10, which rounded to float is within 1 ulp: the
 * float functions' twins, half the time of the double ones. */
double vi_p_expf(float x);
double vi_p_logf(float x);

/* libm's function, or in portable mode its vi_p_ twin; the float ones
 * round the double result, within 1 ulp of float. */
#define VI_MATH1(name, libm, twin, type) \
	static inline type name(type x) { return vi_portable ? (type)twin(x) : libm(x); }
VI_MATH1(vi_expf, expf, vi_p_expf, float)
VI_MATH1(vi_expm1f, expm1f, vi_p_expm1, float)
VI_MATH1(vi_logf, logf, vi_p_logf, float)
VI_MATH1(vi_log1pf, log1pf, vi_p_log1p, float)
VI_MATH1(vi_tanhf, tanhf, vi_p_tanh, float)
VI_MATH1(vi_exp, exp, vi_p_exp, double)
VI_MATH1(vi_log, log, vi_p_log, double)
VI_MATH1(vi_log1p, log1p, vi_p_log1p, double)
VI_MATH1(vi_lgamma, lgamma, vi_p_lgamma, double)
#undef VI_MATH1

static inline double vi_pow(double x, double y)
{
	return vi_portable ? vi_p_pow(x, y) : pow(x, y);
}

static inline float vi_powf(float x, float y)
{
	return vi_portable ? (float)vi_p_pow(x, y) : powf(x, y);
}

/* ---- the one BLAS seam (gemm.c) ---- */

/* C = alpha * op(A) op(B) + beta * C, row-major, op = transpose when t* set.
 * A is m x k after op, B is k x n after op, C is m x n.  In portable mode,
 * vi_gemm_portable's product. */
void vi_gemm(int ta, int tb, size_t m, size_t n, size_t k, float alpha,
              const float *a, const float *b, float beta, float *c);

/* The product of portable mode: each element of op(A) op(B) is one chain
 * of fused multiply-adds over k = 0, 1, ... from 0, then alpha * it + beta *
 * c (beta 0: c is not read), so every host gives the same bytes and a row
 * never depends on the rows beside it.  path: VI_GEMM_BEST (AVX2 and FMA
 * where the CPU has them, else plain C), VI_GEMM_C, VI_GEMM_AVX2 (only
 * where vi_gemm_has_avx2()). */
enum { VI_GEMM_BEST, VI_GEMM_C, VI_GEMM_AVX2 };
void vi_gemm_portable(int ta, int tb, size_t m, size_t n, size_t k, float alpha,
                       const float *a, const float *b, float beta, float *c, int path);
int vi_gemm_has_avx2(void);

/* ---- bf16 products (bf16.c) ---- */

/* The vae_set_compute setting: VAE_COMPUTE_F32 or VAE_COMPUTE_BF16 (only
 * where vi_gemm_bf16 can run). */
extern int vi_compute;

/* vi_gemm's product with op(A) and op(B) rounded to bf16 and f32
 * accumulation, on the calling thread alone; m, n and k not 0.  @return 0,
 * or -1 when it could not be made (no oneDNN, no memory): C untouched. */
int vi_gemm_bf16(int ta, int tb, size_t m, size_t n, size_t k, float alpha, const float *a,
                 const float *b, float beta, float *c);
/* x[0..n) to bf16 in y, rounded to nearest even: the products' conversion
 * (bench/epoch times it alone). */
void vi_to_bf16(const float *x, uint16_t *y, size_t n);
/* A model's parameters f[0..n) in bf16 once, for the products that read
 * them, while bf16 is set (nothing otherwise): vae_ctx_new holds its
 * model's; whoever writes f after must refresh what it wrote (vae_fit's
 * updates), and vae_model_free forgets it.  Refreshes of disjoint ranges
 * may run at once, but not with products reading the same range. */
void vi_bf16_hold(const float *f, size_t n);
void vi_bf16_refresh(const float *f, size_t lo, size_t hi);
void vi_bf16_forget(const float *f);


/* ---- a team of threads that run one job together (team.c) ---- */

typedef struct vi_team vi_team;

/* n members: the calling thread and n - 1 new ones (fewer when no more
 * threads can be had).  @return NULL when out of memory. */
vi_team *vi_team_new(int n);
int vi_team_size(const vi_team *t);
/* job(ctx, member, n) on every member, the caller as member 0; returns
 * when all are done. */
void vi_team_run(vi_team *t, void (*job)(void *ctx, int member, int n), void *ctx);
/* fn(ctx, member, r0, r1) on contiguous parts [r0, r1) of [0, rows), one a
 * member, each of whole VI_BLOCK blocks (so each row's result is the same
 * whatever the team). */
void vi_team_blocks(vi_team *t, size_t rows,
                     void (*fn)(void *ctx, int member, size_t r0, size_t r1), void *ctx);
/* Inside a job: wait until every member has come here. */
void vi_team_sync(vi_team *t);
void vi_team_free(vi_team *t);   /* NULL is fine */

/* ---- layers (layer.c) ---- */

/* A dense layer: y = x W^T + b, W out x in, stored at params + w. */
typedef struct vi_dense {
	size_t in, out, w, b;   /* sizes; offsets of W and b in the parameters */
} vi_dense;

void vi_dense_forward(const vi_dense *l, const float *p, const float *x,
                       size_t rows, float *y);
/* Given dy, set dW and db (overwrite) and, if dx, dx = dy W. */
void vi_dense_backward(const vi_dense *l, const float *p, float *g, const float *x,
                        const float *dy, size_t rows, float *dx);

void vi_act_forward(int act, const float *pre, float *post, size_t n);
/* d (in place) from dL/dpost to dL/dpre. */
void vi_act_backward(int act, const float *pre, const float *post, float *d, size_t n);

/* ---- stacks of layers (net.c) ---- */

/* A multilayer perceptron: dense layers with an activation between them and
 * none after the last. */
typedef struct vi_mlp {
	size_t n;                       /* layers */
	vi_dense layer[VI_MAX_LAYERS];
	int act;
} vi_mlp;

/* Activations of one pass through an mlp, for batches of up to cap rows:
 * pre[l] and post[l] hold layer l's output before and after its activation
 * (the same buffer for the last layer). */
typedef struct vi_trace {
	float *pre[VI_MAX_LAYERS], *post[VI_MAX_LAYERS];
	float *d0, *d1;                 /* backward scratch, cap x widest */
} vi_trace;

int vi_trace_alloc(vi_trace *t, const vi_mlp *m, size_t cap);
void vi_trace_release(vi_trace *t, const vi_mlp *m);
/* @return the output buffer (rows x last layer's out). */
float *vi_mlp_forward(const vi_mlp *m, const float *p, const float *x, size_t rows,
                       vi_trace *t);
/* vi_mlp_forward, the first layer's output before its activation
 * already in t->pre[0]: what a caller that computes it its own way runs. */
float *vi_mlp_forward_on(const vi_mlp *m, const float *p, size_t rows, vi_trace *t);
/* vi_mlp_backward but for the first layer: the gradients of the others
 * into g, and @return dL/d the first layer's output before its
 * activation (a buffer of t's, or dout with one layer). */
const float *vi_mlp_backward_on(const vi_mlp *m, const float *p, float *g, size_t rows,
                                vi_trace *t, const float *dout);
/* dout: dL/d output (not modified); dx (may be NULL): dL/dx. */
void vi_mlp_backward(const vi_mlp *m, const float *p, float *g, const float *x,
                      size_t rows, vi_trace *t, const float *dout, float *dx);
size_t vi_mlp_widest(const vi_mlp *m);

/* Lay out the encoder (n_enc inputs), decoder (n_dec outputs) and
 * observation parameters of an arch (a plain one: n_in and n_in; a table
 * always has one observation parameter a column), then with two levels
 * the networks between them, after the rest so that a one-level model's
 * parameters are where they always were (up, down: n = 0 without); with
 * classes, the encoder's and decoder's first layers read the label's
 * one-hot after their inputs, and the classifier cls comes last (n = 0
 * without): it reads the encoder's first hidden layer as x alone makes it,
 * so that every row's ELBO trains the features it classifies by.
 * @return the number of parameters, or SIZE_MAX when it does not fit in a
 * size_t (vae_check_arch refuses such an arch). */
size_t vi_layout(const vae_arch *a, size_t n_enc, size_t n_dec, int table, vi_mlp *enc,
                 vi_mlp *dec, size_t *obs, vi_mlp *up, vi_mlp *down, vi_mlp *cls);

/* ---- a table's columns as the network sees them (kinds.c) ---- */

/* Column j of a model: its kind, and its units in the encoder's input and
 * the decoder's output.  Values are in model units: real, positive: the
 * scaled value (positive: of its logarithm); count: the count itself;
 * binary: 0 or 1; cat: the level's index.  A count's scaling (of
 * log(1 + x)) is its encoder input's and its log-rate's: eta = off + sc o. */
typedef struct vi_col {
	int kind;               /* enum vae_kind */
	int lik;                /* real: enum vae_likelihood; positive: VAE_GAUSSIAN */
	int negbin;             /* count: negative binomial, else Poisson */
	size_t n_levels;        /* binary: 2; cat: its levels */
	size_t in, in_w;        /* encoder inputs [in, in + in_w) */
	size_t out, out_w;      /* decoder outputs [out, out + out_w) */
	float off, sc;          /* count: the scaling of log(1 + x) */
} vi_col;

/* Units of a kind: in the encoder's input and the decoder's output. */
size_t vi_col_width(int kind, size_t n_levels);

/* -log p(x | o) of one column, x in model units (never NAN), o its decoder
 * outputs, ls its observation parameter (real, positive: log sigma^2 or log
 * b; negbin: log r; clamped here).  With d, the gradient with respect to o
 * into d[0..out_w) and with gls, its gradient with respect to ls added to
 * *gls, both weighted by w. */
double vi_col_nll(const vi_col *c, float x, const float *o, float ls, float *d, float *gls,
                   float w);
/* -log p(x | o) above its least value over o for this x (a perfect
 * reconstruction's): >= 0, 0 when o predicts x as well as o can. */
double vi_col_divergence(const vi_col *c, float x, const float *o, float ls);
/* Add to acc[0..out_w) what the column expects given o: its mean in model
 * units (real, positive), its rate (count), the chance of level 1
 * (binary), each level's chance (cat). */
void vi_col_expect(const vi_col *c, const float *o, float ls, float *acc);
/* The value, in model units, of acc summed over n draws: the mean (real,
 * positive), the rounded rate (count), the likelier level (binary), the
 * likeliest level (cat). */
float vi_col_value(const vi_col *c, const float *acc, float n);
/* A draw from p(x | o), in model units. */
float vi_col_draw(const vi_col *c, const float *o, float ls, vae_rng *r);
/* The encoder's in_w inputs for value x (model units; NAN: all zero). */
void vi_col_input(const vi_col *c, float x, float *in);
/* The digamma function psi(x) for x > 0, to about 1e-15. */
double vi_digamma(double x);

/* ---- scaling (scale.c) ---- */

/* Offset and scale of kind (enum vae_scaling) from the statistics of n
 * values: their mean, sum of squared deviations m2, least and greatest;
 * a constant column, or none, gets offset 0 and scale 1. */
void vi_scale_fit(double n, double mean, double m2, double lo, double hi, int kind,
                  float *offset, float *scale);

/* Each column's running statistics for its scaling: Welford's mean and m2
 * over cnt values (a table's observed cells; else every one of rows), the
 * least and greatest.  Gathered a block of rows at a time, they come out
 * the same as over all the rows at once. */
typedef struct vi_col_stats {
	size_t n;
	double rows, *cnt, *mean, *m2, *lo, *hi;
} vi_col_stats;

/* @return 0, or -1 out of memory. */
int vi_col_stats_init(vi_col_stats *s, size_t n);
void vi_col_stats_free(vi_col_stats *s);
void vi_col_stats_add(vi_col_stats *s, const vae_model *m, const vae_mat *x);

/* ---- rows on disk (rows.c) ---- */

/* A tensor file's element at p as a double: kind 'f', 'i' or 'u', size
 * bytes, in big-endian order or not (read_tensor.c). */
double vi_tensor_value(char kind, int size, int big_endian, const unsigned char *p);

/* The rows of a plain NPY or IDX file read in place from fd (taken over):
 * rows x cols elements of kind and size (at most 4 bytes) from offset at,
 * path for messages.  @return them, or NULL with e set. */
vae_rows *vi_rows_file(int fd, const char *path, uint64_t at, size_t rows, size_t cols,
                       char kind, int size, int big_endian, vae_err *e);

/* The rows of d columns a pass over a spool reads at a time: about a
 * megabyte, so that a read costs little beside its copy, and a shuffled
 * order of blocks mixes the rows well. */
size_t vi_spool_block(size_t d);

/* ---- the model (model.c; its file, model_file.c) ---- */

struct vae_model {
	vae_arch arch;
	vi_mlp enc, dec;       /* enc: n_enc -> 2 n_latent (mu, logvar); dec: n_latent -> n_dec */
	vi_mlp up, down;        /* two levels: up z1 -> 2 n_latent2, q(z2|z1)'s mu and
	                         * logvar; down z2 -> 2 n_latent, p(z1|z2)'s; else n = 0 */
	vi_mlp cls;             /* classes: q(y|x), the encoder's first hidden layer
	                         * (but the one-hot's part) -> n_classes logits; else
	                         * n = 0 */
	char **classes;         /* the classes' texts (n_classes), or NULL */
	char *label;            /* the label's name, or NULL */
	size_t n_params;
	size_t obs;             /* offset of the per-column observation parameters: log
	                         * sigma^2 or log b (real, positive), log r (negbin) */
	/* A table (table set): columns of other kinds than real, or masks.
	 * Otherwise every column is real, cols and net are NULL, and the
	 * network's widths are n_in. */
	int table, masked;
	vae_column *cols;       /* n_in: kinds and levels */
	vi_col *net;            /* n_in: their units in the network */
	size_t n_enc, n_dec;    /* encoder inputs (masks last), decoder outputs */
	float *params;
	char **names;           /* n_in names or NULL */
	int scale_kind;
	float *offset, *scale;  /* n_in each */
	uint32_t image_h, image_w;  /* image shape of the rows, 0 when none */
	vae_record record;
	int has_quantiles;
	float *quantiles;       /* VAE_N_METRICS x VAE_N_QUANTILES */
	uint64_t q_rows[VAE_N_METRICS];     /* rows each metric's quantiles come from */
	uint32_t q_samples[VAE_N_METRICS];  /* and the draws per row (0: z = mu) */
	/* Adam's state, kept so a later fit can continue (may be NULL). */
	uint64_t adam_t;
	float *adam_m, *adam_v;
};

/* A model of arch a with everything allocated, weights uninitialised (the
 * model file fills them in); a table when cols (a->n_in of them) is not
 * NULL.  @return NULL, e set, when a is not one. */
vae_model *vi_model_alloc(const vae_arch *a, const vae_column *cols, int masked, vae_err *e);

/* ---- a table's columns in the model (table.c) ---- */

/* Copy cols into m (a table: cols, net, n_enc, n_dec set), checking each
 * column's levels.  @return 0, or VAE_EPARAM, VAE_ENOMEM. */
int vi_table_init(vae_model *m, const vae_column *cols, int masked, vae_err *e);
/* Bring net[] up to date with the scaling (a count's off and sc). */
void vi_table_sync(vae_model *m);
/* Scaling of kind (a vae_scaling, checked) fitted to a table's rows, by
 * column kind, over its observed cells. */
/* A table's columns' statistics for their scaling, continued over the
 * rows of x (by kind, over the observed cells), and the scaling from them. */
void vi_table_stats_add(const vae_model *m, vi_col_stats *s, const vae_mat *x);
void vi_table_fit_from(vae_model *m, const vi_col_stats *s, int kind);
/* A table's rows between user and model units, in place (NAN stays). */
void vi_table_scale(const vae_model *m, vae_mat *x);
void vi_table_unscale(const vae_model *m, vae_mat *x);
/* Column j's value v from model to user units. */
float vi_table_unscale_cell(const vae_model *m, size_t j, float v);
/* The encoder's n_enc inputs of a row x (model units); a column j with
 * drop && drop[j] reads as missing. */
void vi_table_input(const vae_model *m, const float *x, const unsigned char *drop, float *in);
/* As vi_nll_obs, for a table: missing cells (NAN) left out. */
double vi_table_nll(const vae_model *m, const float *p, float *g, const float *x,
                     const float *out, size_t rows, float *row, float *d, float w,
                     const float *rw);
/* As vi_divergence, for a table's row. */
double vi_table_divergence(const vae_model *m, const float *x, const float *out, float *col);
/* Decoder output o (one row) into out (n_in, model units): draws from
 * p(x|z) with rng, else what it expects (vi_col_value of one draw). */
void vi_table_decode(const vae_model *m, const float *o, float *out, vae_rng *rng);

/* ---- the optimiser (adam.c) ---- */

/* Adam's state in m (adam_m, adam_v, adam_t): the model's own when it has
 * one, so a resumed fit continues it; else zeros. */
int vi_adam_state(vae_model *m, vae_err *e);

/* Adam step m->adam_t (counted from 1, advanced by the caller) on
 * parameters [lo, hi), with the gradient g times f, or (g + h) times f when
 * h is not NULL: two members' sum, added here rather than in a pass of its
 * own, for the update is bound by memory, not arithmetic.  Members of a
 * team update disjoint ranges at once. */
void vi_adam_update(vae_model *m, const float *restrict g, const float *restrict h,
                     float f, float lr, float *restrict avg, float d, size_t lo, size_t hi);

/* ---- the objective (elbo.c) ---- */

/* Work buffers for the ELBO over batches of up to cap rows. */
struct vae_ctx {
	const vae_model *m;
	size_t cap;
	vi_trace et, dt;       /* encoder and decoder traces */
	float *x;               /* cap x n_in: input in model units */
	float *eps, *z;         /* cap x n_latent */
	float *dz, *dh;         /* cap x n_latent; cap x 2 n_latent */
	float *dout;            /* cap x n_in */
	float *row;             /* cap: per-row terms */
	float *xn;              /* cap x n_in: the encoder's noisy input, when noisy */
	int noisy;              /* denoising: encode xn, reconstruct x */
	float *xin;             /* a table's: cap x n_enc, the encoder's input */
	double *kl_dim;         /* vi_kl_dims: the batch's KL per dimension */
	float *bw;              /* vi_kl_dims: each dimension's KL gradient weight */
	/* the second level (level2.c), cap rows each; NULL with one level */
	vi_trace ut, pt;        /* traces of up (q(z2|z1)) and down (p(z1|z2)) */
	float *eps2, *z2, *dz2; /* cap x n_latent2 */
	float *dh2;             /* cap x 2 n_latent2: dL/d up's output */
	float *dp;              /* cap x 2 n_latent: dL/d down's output */
	float *dzu;             /* cap x n_latent: dL/dz1 through up */
	/* a label's classes (label.c); NULL without.  With C classes, the
	 * buffers of the passes through the encoder and decoder (et, dt, z, dz,
	 * dh, dout, row) hold cap C rows: a batch's rows, one for each class
	 * where a row has no label */
	float *y;               /* cap: each row's label, a class or NAN */
	float *cls;             /* cap C: the class a row of a pass is under */
	vi_trace ct;            /* the classifier's trace, cap rows */
	float *tpre, *tpost;    /* cap x hidden: the encoder's first hidden layer of
	                         * x alone (the classifier's input), before and after
	                         * the activation */
	float *q;               /* cap x C: q(y|x) */
	float *dq;              /* cap x C: dL/d the classifier's logits */
	float *lin;             /* cap x (n_enc + C): the encoder's input and one-hot */
	float *lzy, *ldzy;      /* cap C x (n_latent + C): the decoder's, and dL/d it */
	/* training: n_ex rows expanded by class, row i the batch's row
	 * lrow[i] under class cls[i], weighted lw[i] (1 with a label, else
	 * q(cls[i]|x)) */
	size_t n_ex;
	size_t *lrow;
	float *lw, *lkl;        /* cap C: weights; each row's KL */
	float *lx, *leps;       /* cap C x n_in, cap C x n_latent */
	float *wx;              /* the encoder's first weights but the one-hot's,
	                         * packed (hidden x n_enc), or their gradient */
	float *lpre;            /* cap x hidden: the rows' x W^T, or their
	                         * expansions' gradients summed */
	double ent, ce;         /* sum q log q over the rows without a label;
	                         * -log q(y|x) over those with one */
};

/* The KL term's dimensions: z1's, then z2's with two levels. */
static inline size_t vi_kl_dims(const vae_model *m)
{
	return m->arch.n_latent + m->arch.n_latent2;
}

/* The encoder's input: a table's expanded rows, a denoising fit's noisy
 * rows, or the rows themselves. */
static inline const float *vi_ctx_input(const vae_ctx *c)
{
	return c->m->table ? c->xin : c->noisy ? c->xn : c->x;
}

/* Sums over a batch of the negative ELBO's terms, and the objective that
 * is minimised: its mean per row, with free bits and beta applied. */
typedef struct vi_terms {
	double recon, kl, obj;
} vi_terms;

/* How the KL term enters the objective. */
typedef struct vi_objective {
	float beta;             /* its weight */
	float free_bits;        /* nats per dimension of batch-mean KL not penalised */
	float class_w;          /* classes: the weight of each labelled row's
	                         * -log q(y|x) in the objective */
} vi_objective;

/* Forward and backward of the objective: the mean over rows of -log p(x|z)
 * + beta * KL (per dimension at least free_bits), for the rows of c->x (the
 * encoder reads c->xn when c->noisy) with eps in c->eps; an autoencoder has
 * z = mu and no KL.  Gradients (overwritten) into g, which may be NULL for
 * the forward pass alone.  @return the terms.  It is the three calls
 * below in a row, which a batch split between threads makes apart. */
vi_terms vi_elbo(vae_ctx *c, const float *p, float *g, size_t rows, const vi_objective *o);

/* The forward half: -log p(x|z) summed over the rows (@return), the KL
 * summed into *kl and by dimension into c->kl_dim; with g, the gradient of
 * the first term weighted by w kept for the backward half, and the
 * observation parameters' into g. */
double vi_elbo_forward(vae_ctx *c, const float *p, float *g, size_t rows, float w, double *kl);

/* The KL part of the objective (summed over rows) from the KL by dimension
 * of a batch of rows, and each dimension's gradient weight into bw: under
 * free bits a dimension whose batch-mean KL is below the floor costs the
 * floor and gets no gradient. */
double vi_kl_weights(const double *kl_dim, size_t k, size_t rows, const vi_objective *o,
                      float *bw);

/* The backward half, after vi_elbo_forward with g: the gradients of the
 * rows into g (the observation parameters' were set by the forward half),
 * the KL term weighted by bw; with classes, the classifier's by w (the
 * forward half's) and o. */
void vi_elbo_backward(vae_ctx *c, const float *p, float *g, size_t rows, const float *bw,
                      float w, const vi_objective *o);

/* How the gradient of a level's code reaches its mu and logvar. */
enum vi_kl_form {
	VI_KL_NONE,             /* an autoencoder: z = mu, no KL */
	VI_KL_PRIOR,            /* analytic KL(q || N(0, I)) */
	VI_KL_SAMPLED           /* log q(z) at its draw, whose only term in logvar
	                         * with eps held is -lv / 2 */
};

/* dh (rows x 2k: dmu, dlogvar) from dz through z = mu + e^(lv/2) eps,
 * and the KL term's gradient in the form given, weighted per dimension by
 * bw[j] (beta / rows, or 0 under free bits) and, when rw is not NULL,
 * row r's by rw[r]. */
void vi_reparameterize_backward(const float *h, const float *eps, const float *dz, float *dh,
                                size_t rows, size_t k, const float *bw, int form, const float *rw);

/* z = mu + e^(lv/2) eps from the encoder output h (rows x 2k: mu, logvar),
 * or z = mu without eps or for an autoencoder; kl_row[r] (if not NULL) and
 * kl_dim[j] (if not NULL) get KL(N(mu, e^lv) || N(0, 1)) = sum (mu^2 + e^lv
 * - 1 - lv) / 2 by row and by dimension.  @return the KL summed. */
double vi_reparameterize(const float *h, const float *eps, float *z, float *kl_row,
                         double *kl_dim, size_t rows, size_t k, int ae);

/* ---- the second stochastic level (level2.c) ---- */

/* Allocate c's buffers for the second level (none with one).  @return 0
 * or VAE_ENOMEM. */
int vi_level2_alloc(vae_ctx *c);
void vi_level2_free(vae_ctx *c);

/* Training, after z1 = c->z was drawn with c->eps from the encoder output
 * h (rows x 2 n_latent): z2 ~ q(z2|z1) with c->eps2, and the KL terms by
 * dimension into c->kl_dim: z1's log q(z1|x) - log p(z1|z2) at the draws
 * (z2 is drawn given z1, so no analytic KL of q(z1|x) to p(z1|z2) is the
 * ELBO's), z2's analytic KL(q(z2|z1) || N(0, I)).  @return their sum. */
double vi_level2_forward(vae_ctx *c, const float *p, const float *h, size_t rows);

/* The backward half, c->dz holding dL/dz1 from the decoder: adds the KL
 * terms' and the upper networks' paths to it, their gradients into g. */
void vi_level2_backward(vae_ctx *c, const float *p, float *g, size_t rows, const float *bw);

/* Inference on a block: z1 in c->z (VI_BLOCK rows); @return q(z2|z1)'s
 * output (VI_BLOCK x 2 n_latent2). */
float *vi_level2_up(vae_ctx *c);

/* At z1 = mu1 in c->z, h the encoder's output: each row's KL(q(z1|x) ||
 * p(z1|mu2)) + KL(q(z2|mu1) || N(0, I)) into row[0..VI_BLOCK). */
void vi_level2_kl_at_mean(vae_ctx *c, const float *h, float *row);

/* A draw of z2 ~ q(z2|z1) for rows [0, m) of the block (z1 in c->z, each
 * row's stream in rng, zeros after them), adding to logw[r]
 * log p(z1|z2) + log N(z2; 0, I) - log q(z2|z1). */
void vi_level2_logw(vae_ctx *c, vae_rng *rng, size_t m, double *logw);

/* The codes z2 of the block in c->z2 (VI_BLOCK rows) to z1 in c->z: the
 * mean of p(z1|z2), or with rng (rows [0, m), zeros after) a draw. */
void vi_level2_down(vae_ctx *c, vae_rng *rng, size_t m);

/* ---- a label's classes: M2 (label.c) ---- */

/* Check labels y[0..n) (NULL: none) for m: each a class or NAN, and
 * none at all for a model without classes.  @return 0 or VAE_EPARAM
 * naming the first bad one. */
int vi_check_labels(const vae_model *m, const float *y, size_t n, vae_err *e);
/* Allocate c's buffers for the classes (none without), ne = cap C rows
 * for the passes.  @return 0 or VAE_ENOMEM. */
int vi_label_alloc(vae_ctx *c, size_t ne);
void vi_label_free(vae_ctx *c);
/* The rows of an inference pass through the encoder, or the decoder:
 * rows [0, n) of in (width wide), each followed by the one-hot of class
 * c->cls[i].  @return the input, c->lin or c->lzy. */
const float *vi_label_enc_input(vae_ctx *c, const float *in, size_t width, size_t n);
const float *vi_label_dec_input(vae_ctx *c, const float *z, size_t n);
/* q(y|x) of rows [0, n) of in (the encoder's input, n_enc wide) into c->q. */
void vi_label_classify(vae_ctx *c, const float *p, const float *in, size_t n);
/* Training: the objective's forward half for the rows of c->x with labels
 * c->y and eps c->eps (as vi_elbo_forward, whose contract it keeps): the
 * classifier, then each row under its label or under every class; the
 * gradient of -log p(x|z) into c->dout weighted by w and each expanded
 * row's weight; c->kl_dim the weighted KL of z by dimension; c->ent and
 * c->ce.  *kl gets the KL of z and of y (KL(q(y|x) || p(y)), or -log p(y)
 * for a label), weighted.  @return -log p(x|z) summed, weighted. */
double vi_label_forward(vae_ctx *c, const float *p, float *g, size_t rows, float w, double *kl);
/* The backward half: the decoder's, encoder's and classifier's gradients
 * into g, the KL weighted by bw, the classifier's terms by o (beta for
 * the rows without a label, class_w for those with one) and w. */
void vi_label_backward(vae_ctx *c, const float *p, float *g, size_t rows, const float *bw,
                       float w, const vi_objective *o);

/* ---- likelihoods (likelihood.c) ---- */

/* -log p(x | decoder output) for each row into row[0..rows) (if not
 * NULL), and (if d) its gradient with respect to the decoder output and
 * into g the observation parameters', both weighted by w, row r's by w
 * rw[r] when rw is not NULL.  @return the sum (unweighted). */
double vi_nll_obs(const vae_model *m, const float *p, float *g, const float *x,
                   const float *out, size_t rows, float *row, float *d, float w,
                   const float *rw);

/* The reconstruction divergence of a row x from decoder output out: how far
 * -log p(x|z) is above its value were out a perfect reconstruction of x,
 * summed over the columns
 * (each column's into col when not NULL): (x - m)^2 / 2 sigma^2 (gaussian),
 * |x - m| / b (laplace), KL(Bernoulli(x) || Bernoulli(p)) (bernoulli). */
double vi_divergence(const vae_model *m, const float *x, const float *out, float *col);

/* The same two from likelihood.c's second build, lib/likelihood_portable.o:
 * no fast math, no clones, vi_p_* for libm; what they compute in portable
 * mode. */
double vi_nll_obs_portable(const vae_model *m, const float *p, float *g, const float *x,
                            const float *out, size_t rows, float *row, float *d, float w,
                            const float *rw);
double vi_divergence_portable(const vae_model *m, const float *x, const float *out, float *col);

/* ---- levels: distinct texts and their indices (levels.c) ---- */

typedef struct vi_levels vi_levels;

vi_levels *vi_levels_new(void);
void vi_levels_free(vi_levels *l);     /* NULL is fine */
/* @return the index of text s (len bytes), or -1 when it is not one. */
long vi_levels_find(const vi_levels *l, const char *s, size_t len);
/* @return the index of s, added when new; -1 when memory is short. */
long vi_levels_add(vi_levels *l, const char *s, size_t len);
size_t vi_levels_count(const vi_levels *l);
const char *vi_levels_text(const vi_levels *l, size_t i);
/* @return level i's length in bytes (its text may hold NUL bytes). */
size_t vi_levels_len(const vi_levels *l, size_t i);
/* @return 1 with *v set when level i's text is a finite number
 * (vi_parse_float), else 0. */
int vi_levels_value(const vi_levels *l, size_t i, float *v);
/* @return the index of the first level whose text is the number v (-0 is
 * 0), so "1.0" finds "1"; -1 when none is (or v is NAN). */
long vi_levels_find_value(const vi_levels *l, float v);

/* ---- inference (infer.c) ---- */

/* recon and elbo at z = mu (model units) of the rows idx[0..n) of x, or of
 * its first n rows when idx is NULL, with classes under the labels y of
 * x's rows (NULL: none), into recon and elbo (either may be
 * NULL), shared out between the members of t in whole blocks, member i
 * computing with ctx[i]; deterministic, as vae_score. */
void vi_score_rows(vi_team *t, vae_ctx **ctx, const vae_mat *x, const float *y,
                    const size_t *idx, size_t n, float *recon, float *elbo);

/* Draw z = mu + sigma eps for rows [0, m) of a block (zeros after them)
 * from h (VI_BLOCK x 2k: mu, logvar), eps from each row's stream in rng;
 * with logw, each row's log N(z; 0, I) - log q(z) into it, or with prior
 * 0, -log q(z) alone. */
void vi_draw_codes(const float *h, size_t k, vae_rng *rng, size_t m, float *z, int prior,
                   double *logw);

/* ---- rows spread over processes (comm.c) ---- */

/* A fit's rows are global rows, held by the processes of a vae_comm as
 * vae.h says; c NULL is one process holding them all.  A list of global
 * rows is list[0..n), or 0..n-1 when list is NULL. */

/* The global number of rows, this process holding local of them. */
size_t vi_comm_rows(const vae_comm *c, size_t local);
/* The rows of the list this process holds: their places in the list into
 * place[], their rows in its matrix into local[], in the list's order.
 * @return how many. */
size_t vi_comm_own(const vae_comm *c, const size_t *list, size_t n, size_t *place, size_t *local);
/* v[0..own), this process's values for the list's places place[0..own),
 * into v[0..n) with every process's values (nothing when v or c is NULL). */
void vi_comm_spread(const vae_comm *c, const size_t *place, size_t own, size_t n, float *v);
/* vi_score_rows of the list's rows into recon and elbo [0..n) (either may
 * be NULL), each process scoring those it holds; scratch: 2 n. */
void vi_comm_score(vi_team *t, vae_ctx **ctx, const vae_mat *x, const float *y,
                   const vae_comm *c, const size_t *list, size_t n, float *recon, float *elbo,
                   size_t *scratch);

/* ---- calibration (calibrate.c) ---- */

/* Store the quantiles of the scores of the global rows list[0..n) of x
 * (see comm.c) in m, computed by the members of t, member i with ctx[i]
 * (contexts of m). */
int vi_calibrate(vae_model *m, const vae_mat *x, const float *y, const size_t *list, size_t n,
                 const vae_comm *c, vi_team *t, vae_ctx **ctx, vae_err *e);
/* qsort's comparison of two floats, ascending (no NaN among them). */
int vi_cmp_float(const void *a, const void *b);
/* ... and of two size_t. */
int vi_cmp_size(const void *a, const void *b);

/* ---- binary output: npy, idx and png (write_tensor.c) ---- */

/* The rows of one binary output, written to fp when they are all in. */
typedef struct vi_binary vi_binary;

/* @return NULL when o's binary format (npy, idx or png) can be written,
 * else why not, *about set when it is about the image shape. */
const char *vi_binary_check(const vae_write_opts *o, int *about);
/* format: VAE_FMT_NPY, _IDX or _PNG; o checked by vi_binary_check. */
vi_binary *vi_binary_new(FILE *fp, int format, const vae_write_opts *o, vae_err *e);
/* The row being built: a value, or a text field (refused by vi_binary_end). */
void vi_binary_float(vi_binary *t, float v);
void vi_binary_text(vi_binary *t);
/* End the row: keep it, or refuse it (@return the error) and drop it. */
int vi_binary_end(vi_binary *t, vae_err *e);
/* Write the header and every row kept to fp. */
int vi_binary_finish(vi_binary *t, vae_err *e);
void vi_binary_free(vi_binary *t);   /* NULL is fine */

#endif
