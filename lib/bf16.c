/* bf16.c: the matrix products in bfloat16 (vae_set_compute), through
 * oneDNN's matmul where the build has it and the CPU multiplies bf16
 * (AVX512_BF16 or AMX); the one other product behind vi_gemm.
 *
 * Each product converts op(A) and op(B) to bf16 (round to nearest even),
 * multiplies them with f32 accumulation into C, which stays f32, as do the
 * weights, the gradients and Adam's state: only the products' inputs lose
 * bits (8 of the significand's 24; a product's relative error is about
 * 2^-8 / sqrt(k) per element, about 3e-3 on these sizes).  A transposed
 * operand is passed by its strides, so nothing is transposed here.
 *
 * Threads.  oneDNN as Debian builds it splits a product among OpenMP
 * threads, which spin between products and take the core the training
 * team's other member needs.  Every caller here is already one of the
 * library's threads with its share of the rows (the training team, the
 * programs' workers), so each thread runs its products alone: OpenMP is
 * told one thread, per calling thread, and never starts one of its own.
 * Each thread keeps its own primitives (one per product shape, made once),
 * memory objects, stream and bf16 buffers, freed when the thread ends.
 *
 * Held arrays.  A model's weights take most of the conversions: 2 x 784 x
 * 400 of them against 64 x 784 inputs in each block of rows, and again in
 * each member of a team.  So a model's parameters have one bf16 copy,
 * made when its first context is (vi_bf16_hold), and an operand within
 * them is read from the copy.  Only vae_fit writes the parameters of a
 * model that has contexts, and it brings the copy up to date after each
 * write (vi_bf16_refresh); vae_model_free drops it (vi_bf16_forget). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int vi_compute = VAE_COMPUTE_F32;

static uint16_t bf16_of(float x)
{
	uint32_t u;

	memcpy(&u, &x, sizeof u);
	if ((u & 0x7fffffffu) > 0x7f800000u)    /* NaN: keep it one, quiet */
		return (uint16_t)((u >> 16) | 0x40);
	return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1)) >> 16);
}

/* vcvtne2ps2bf16 rounds as bf16_of does, but for subnormal inputs, which
 * it takes for zeros, as the products' kernels take bf16 subnormals */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define BF16_PATH 1

__attribute__((target("avx512f,avx512bf16"))) static void to_bf16_avx512(const float *x,
                                                                          uint16_t *y, size_t n)
{
	size_t i = 0;

	for (; i + 32 <= n; i += 32) {
		__m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(x + i + 16), _mm512_loadu_ps(x + i));
		_mm512_storeu_si512((void *)(y + i), (__m512i)v);
	}
	for (; i < n; i++)
		y[i] = bf16_of(x[i]);
}

#endif

void vi_to_bf16(const float *x, uint16_t *y, size_t n)
{
#ifdef BF16_PATH
	if (__builtin_cpu_supports("avx512bf16")) {
		to_bf16_avx512(x, y, n);
		return;
	}
#endif
	for (size_t i = 0; i < n; i++)
		y[i] = bf16_of(x[i]);
}

#ifdef VAE_DNNL
#include <dlfcn.h>
#include <oneapi/dnnl/dnnl.h>

/* oneDNN is opened when bf16 is first asked for, not linked: its 40 MB
 * and libstdc++ would double every program's start-up time (12 to 25 ms
 * of CPU) for a setting few runs make.  Its functions are called through
 * these pointers, p_NAME for NAME. */
#define LIBDNNL "libdnnl.so.2"
void omp_set_num_threads(int n);        /* libgomp's, which oneDNN loads */
#define DNNL_FUNCTIONS(X) \
	X(dnnl_engine_create) \
	X(dnnl_get_effective_cpu_isa) \
	X(dnnl_matmul_desc_init) \
	X(dnnl_memory_create) \
	X(dnnl_memory_desc_init_by_strides) \
	X(dnnl_memory_destroy) \
	X(dnnl_memory_set_data_handle) \
	X(dnnl_post_ops_append_sum) \
	X(dnnl_post_ops_create) \
	X(dnnl_post_ops_destroy) \
	X(dnnl_primitive_attr_create) \
	X(dnnl_primitive_attr_destroy) \
	X(dnnl_primitive_attr_set_output_scales) \
	X(dnnl_primitive_attr_set_post_ops) \
	X(dnnl_primitive_create) \
	X(dnnl_primitive_desc_create) \
	X(dnnl_primitive_desc_destroy) \
	X(dnnl_primitive_destroy) \
	X(dnnl_primitive_execute) \
	X(dnnl_stream_create) \
	X(dnnl_stream_destroy) \
	X(omp_set_num_threads)
#define POINTER(f) static __typeof__(f) *p_##f;
DNNL_FUNCTIONS(POINTER)

#define SHAPES 32               /* a fit makes about a dozen shapes, scoring fewer */

/* One product shape's primitive, and memory objects to point at the data. */
struct shape {
	int ta, tb;
	size_t m, n, k;
	float alpha, beta;
	dnnl_primitive_t prim;
	dnnl_memory_t a, b, c;
};

struct thread_state {
	dnnl_stream_t stream;
	struct shape shape[SHAPES];
	int n_shapes, next;     /* next: the slot a new shape takes when all are full */
	uint16_t *buf;          /* op(A) then op(B) in bf16 */
	size_t cap;             /* buf's elements */
};

static dnnl_engine_t engine;
static int usable;              /* engine made and the CPU multiplies bf16 */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static _Thread_local struct thread_state *mine;

static void drop_shape(struct shape *s)
{
	p_dnnl_primitive_destroy(s->prim);
	p_dnnl_memory_destroy(s->a);
	p_dnnl_memory_destroy(s->b);
	p_dnnl_memory_destroy(s->c);
	memset(s, 0, sizeof *s);
}

static void thread_end(void *p)
{
	struct thread_state *t = p;

	for (int i = 0; i < t->n_shapes; i++)
		drop_shape(&t->shape[i]);
	p_dnnl_stream_destroy(t->stream);
	free(t->buf);
	free(t);
}

static const char *failed = "this CPU has no bfloat16 products (AVX512_BF16 or AMX)";

/* Every function of DNNL_FUNCTIONS from the library: @return 0 or -1. */
static int load(void)
{
	void *lib = dlopen(LIBDNNL, RTLD_NOW | RTLD_LOCAL), *f;

	if (!lib)
		return -1;
#define LOAD(name) \
	if (!(f = dlsym(lib, #name))) \
		return -1; \
	memcpy(&p_##name, &f, sizeof f);
	DNNL_FUNCTIONS(LOAD)
#undef LOAD
	return 0;
}

static void start(void)
{
	dnnl_cpu_isa_t isa;

	if (load()) {
		failed = "cannot load oneDNN (" LIBDNNL ", Debian's libdnnl2)";
		return;
	}
	if (pthread_key_create(&key, thread_end))
		return;
	isa = p_dnnl_get_effective_cpu_isa();
	if ((isa & dnnl_cpu_isa_avx512_core_bf16) != dnnl_cpu_isa_avx512_core_bf16
	    || !__builtin_cpu_supports("avx512bf16"))
		return;
	usable = p_dnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success;
}

/* ---- held arrays ---- */

#define HELD 16                 /* models with contexts at once; more convert per product */

static struct held {
	_Atomic(const float *) f;   /* NULL: a free entry */
	size_t n;
	uint16_t *bf;
} held[HELD];
static pthread_mutex_t held_lock = PTHREAD_MUTEX_INITIALIZER;

static struct held *held_entry(const float *f)
{
	for (int i = 0; i < HELD; i++)
		if (atomic_load_explicit(&held[i].f, memory_order_acquire) == f)
			return &held[i];
	return NULL;
}

/* x[0..count) in bf16 from a held copy, or NULL when no array holds it */
static const uint16_t *held_copy(const float *x, size_t count)
{
	uintptr_t a = (uintptr_t)x;

	for (int i = 0; i < HELD; i++) {
		const float *f = atomic_load_explicit(&held[i].f, memory_order_acquire);
		uintptr_t lo = (uintptr_t)f;
		if (f && a >= lo && a + count * sizeof *x <= lo + held[i].n * sizeof *x)
			return held[i].bf + (x - f);
	}
	return NULL;
}

void vi_bf16_hold(const float *f, size_t n)
{
	struct held *h;

	if (vi_compute != VAE_COMPUTE_BF16 || !f || !n)
		return;
	pthread_mutex_lock(&held_lock);
	if (!held_entry(f) && (h = held_entry(NULL)) && (h->bf = malloc(n * sizeof *h->bf))) {
		vi_to_bf16(f, h->bf, n);
		h->n = n;
		atomic_store_explicit(&h->f, f, memory_order_release);
	}
	pthread_mutex_unlock(&held_lock);
}

void vi_bf16_refresh(const float *f, size_t lo, size_t hi)
{
	struct held *h = held_entry(f);

	if (h && lo < hi && hi <= h->n)
		vi_to_bf16(f + lo, h->bf + lo, hi - lo);
}

void vi_bf16_forget(const float *f)
{
	struct held *h;

	if (!f)
		return;
	pthread_mutex_lock(&held_lock);
	if ((h = held_entry(f))) {
		atomic_store_explicit(&h->f, NULL, memory_order_release);
		free(h->bf);
		h->bf = NULL;
		h->n = 0;
	}
	pthread_mutex_unlock(&held_lock);
}

static struct thread_state *thread_state(void)
{
	struct thread_state *t = mine;

	if (t)
		return t;
	if (!(t = calloc(1, sizeof *t)))
		return NULL;
	if (p_dnnl_stream_create(&t->stream, engine, dnnl_stream_default_flags) != dnnl_success) {
		free(t);
		return NULL;
	}
	p_omp_set_num_threads(1);
	pthread_setspecific(key, t);
	return mine = t;
}

/* A 2-D memory descriptor of rows x cols, element (i, j) at i*ri + j*rj. */
static int desc(dnnl_memory_desc_t *d, size_t rows, size_t cols, size_t ri, size_t rj,
                dnnl_data_type_t type)
{
	dnnl_dims_t dims = { (dnnl_dim_t)rows, (dnnl_dim_t)cols };
	dnnl_dims_t strides = { (dnnl_dim_t)ri, (dnnl_dim_t)rj };

	return p_dnnl_memory_desc_init_by_strides(d, 2, dims, type, strides) != dnnl_success;
}

/* The primitive of C (m x n, f32) = alpha op(A) op(B) + beta C, op(A) and
 * op(B) bf16 in their stored layouts.  @return 0 or -1. */
static int make_shape(struct shape *s)
{
	dnnl_memory_desc_t a, b, c;
	dnnl_matmul_desc_t mm;
	dnnl_primitive_attr_t attr = NULL;
	dnnl_post_ops_t ops = NULL;
	dnnl_primitive_desc_t pd = NULL;
	int bad;

	bad = desc(&a, s->m, s->k, s->ta ? 1 : s->k, s->ta ? s->m : 1, dnnl_bf16)
	   || desc(&b, s->k, s->n, s->tb ? 1 : s->n, s->tb ? s->k : 1, dnnl_bf16)
	   || desc(&c, s->m, s->n, s->n, 1, dnnl_f32)
	   || p_dnnl_matmul_desc_init(&mm, &a, &b, NULL, &c) != dnnl_success
	   || p_dnnl_primitive_attr_create(&attr) != dnnl_success
	   || (s->alpha != 1 && p_dnnl_primitive_attr_set_output_scales(attr, 1, 0, &s->alpha))
	   || (s->beta != 0 && (p_dnnl_post_ops_create(&ops) != dnnl_success
	                        || p_dnnl_post_ops_append_sum(ops, s->beta) != dnnl_success
	                        || p_dnnl_primitive_attr_set_post_ops(attr, ops) != dnnl_success))
	   || p_dnnl_primitive_desc_create(&pd, &mm, attr, engine, NULL) != dnnl_success
	   || p_dnnl_primitive_create(&s->prim, pd) != dnnl_success
	   || p_dnnl_memory_create(&s->a, &a, engine, DNNL_MEMORY_NONE) != dnnl_success
	   || p_dnnl_memory_create(&s->b, &b, engine, DNNL_MEMORY_NONE) != dnnl_success
	   || p_dnnl_memory_create(&s->c, &c, engine, DNNL_MEMORY_NONE) != dnnl_success;
	p_dnnl_primitive_desc_destroy(pd);
	p_dnnl_post_ops_destroy(ops);
	p_dnnl_primitive_attr_destroy(attr);
	if (bad)
		drop_shape(s);
	return bad ? -1 : 0;
}

static struct shape *find_shape(struct thread_state *t, int ta, int tb, size_t m, size_t n,
                                size_t k, float alpha, float beta)
{
	struct shape want = { ta, tb, m, n, k, alpha, beta, NULL, NULL, NULL, NULL }, *s;

	for (int i = 0; i < t->n_shapes; i++) {
		s = &t->shape[i];
		if (s->ta == ta && s->tb == tb && s->m == m && s->n == n && s->k == k
		    && s->alpha == alpha && s->beta == beta)
			return s;
	}
	if (t->n_shapes < SHAPES) {
		s = &t->shape[t->n_shapes];
	} else {
		s = &t->shape[t->next];
		t->next = (t->next + 1) % SHAPES;
		drop_shape(s);
	}
	*s = want;
	if (make_shape(s))
		return NULL;
	if (s == &t->shape[t->n_shapes])
		t->n_shapes++;
	return s;
}

int vi_gemm_bf16(int ta, int tb, size_t m, size_t n, size_t k, float alpha, const float *a,
                 const float *b, float beta, float *c)
{
	struct thread_state *t = thread_state();
	const uint16_t *ha = held_copy(a, m * k), *hb = held_copy(b, k * n);
	size_t need = (ha ? 0 : m * k) + (hb ? 0 : k * n);
	struct shape *s;

	if (!t || !(s = find_shape(t, ta, tb, m, n, k, alpha, beta)))
		return -1;
	if (need > t->cap) {
		uint16_t *grown = realloc(t->buf, need * sizeof *grown);
		if (!grown)
			return -1;
		t->buf = grown;
		t->cap = need;
	}
	if (!ha)
		vi_to_bf16(a, t->buf, m * k);
	if (!hb)
		vi_to_bf16(b, t->buf + (ha ? 0 : m * k), k * n);
	dnnl_exec_arg_t args[3] = {
		{ DNNL_ARG_SRC, s->a }, { DNNL_ARG_WEIGHTS, s->b }, { DNNL_ARG_DST, s->c }
	};
	/* oneDNN takes a handle as void *; it only reads through these two */
	return p_dnnl_memory_set_data_handle(s->a, ha ? (void *)(uintptr_t)ha : t->buf) != dnnl_success
	    || p_dnnl_memory_set_data_handle(s->b, hb ? (void *)(uintptr_t)hb
	                                             : t->buf + (ha ? 0 : m * k)) != dnnl_success
	    || p_dnnl_memory_set_data_handle(s->c, c) != dnnl_success
	    || p_dnnl_primitive_execute(s->prim, t->stream, 3, args) != dnnl_success ? -1 : 0;
}

static const char *why_not(void)
{
	pthread_once(&once, start);
	return usable ? NULL : failed;
}
#else
void vi_bf16_hold(const float *f, size_t n)
{
	(void)f, (void)n;
}

void vi_bf16_refresh(const float *f, size_t lo, size_t hi)
{
	(void)f, (void)lo, (void)hi;
}

void vi_bf16_forget(const float *f)
{
	(void)f;
}

int vi_gemm_bf16(int ta, int tb, size_t m, size_t n, size_t k, float alpha, const float *a,
                 const float *b, float beta, float *c)
{
	(void)ta, (void)tb, (void)m, (void)n, (void)k, (void)alpha, (void)a, (void)b, (void)beta;
	(void)c;
	return -1;
}

static const char *why_not(void)
{
	return "this build has no oneDNN (libdnnl-dev)";
}
#endif

int vae_set_compute(int mode, vae_err *e)
{
	const char *why;

	if (mode == VAE_COMPUTE_F32) {
		vi_compute = mode;
		return 0;
	}
	if (mode != VAE_COMPUTE_BF16)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "unknown compute type %d", mode);
	if (vi_portable)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "portable mode computes in f32");
	if ((why = why_not()))
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "%s", why);
	vi_compute = mode;
	return 0;
}

int vae_compute(void)
{
	return vi_compute;
}
