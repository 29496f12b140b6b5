/* rng.c: xoshiro256** streams seeded through splitmix64; no hidden state. */
#include <math.h>
#include <string.h>

#include "internal.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void vae_rng_seed(vae_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

void vae_rng_seed_row(vae_rng *r, uint64_t seed, const float *x, size_t n)
{
	/* FNV-1a over the row's bits, mixed with the seed: the stream is a
	 * function of the seed and the values alone. */
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		uint32_t b;
		float v = x[i] == 0.0f ? 0.0f : x[i];   /* -0 and 0 draw alike */
		memcpy(&b, &v, sizeof b);
		for (int k = 0; k < 4; k++) {
			h ^= (b >> (8 * k)) & 0xff;
			h *= 0x100000001b3ULL;
		}
	}
	vae_rng_seed(r, seed ^ splitmix64(&h));
}

void vi_rng_seed_index(vae_rng *r, uint64_t seed, uint64_t i)
{
	vae_rng_seed(r, seed ^ splitmix64(&i));
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t vae_rng_next(vae_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

double vae_rng_uniform(vae_rng *r)
{
	return (vae_rng_next(r) >> 11) * 0x1.0p-53;
}

float vae_rng_normal(vae_rng *r)
{
	/* Box-Muller; 1 - u keeps the logarithm's argument in (0, 1]. */
	double u = 1.0 - vae_rng_uniform(r), v = vae_rng_uniform(r);

	if (vi_portable)
		return (float)(sqrt(-2.0 * vi_p_log(u)) * vi_p_cos_turns(v));
	return (float)(sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v));
}
