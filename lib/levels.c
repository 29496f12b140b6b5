/* levels.c: distinct texts and their indices, found by text or by value. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "number.h"

/* Two tables open-addressed at most half full, slots holding an index + 1
 * (0: empty): every text, and every value that a text spells, the value's
 * slot naming its first level, so that "1.0" finds the level "1". */
struct vi_levels {
	size_t n, cap;              /* levels; room for */
	char **text;                /* NUL-terminated copies */
	size_t *len;
	float *value;               /* a level's value, when it is a finite number */
	unsigned char *is_number;
	size_t *slot, mask;         /* the texts */
	size_t *vslot, vmask;       /* the values */
	size_t n_values;            /* distinct values in vslot */
};

static uint64_t hash_value(float v)
{
	uint32_t b;

	if (v == 0)
		v = 0;                  /* -0 is 0 */
	memcpy(&b, &v, sizeof b);
	uint64_t h = (uint64_t)b * 0x9e3779b97f4a7c15u;   /* Fibonacci hashing */
	return h ^ h >> 29;
}

vi_levels *vi_levels_new(void)
{
	vi_levels *l = calloc(1, sizeof *l);

	if (!l)
		return NULL;
	l->slot = calloc(16, sizeof *l->slot);
	l->vslot = calloc(16, sizeof *l->vslot);
	if (!l->slot || !l->vslot) {
		vi_levels_free(l);
		return NULL;
	}
	l->mask = l->vmask = 15;
	return l;
}

void vi_levels_free(vi_levels *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->text[i]);
	free(l->text);
	free(l->len);
	free(l->value);
	free(l->is_number);
	free(l->slot);
	free(l->vslot);
	free(l);
}

size_t vi_levels_count(const vi_levels *l) { return l->n; }
const char *vi_levels_text(const vi_levels *l, size_t i) { return l->text[i]; }
size_t vi_levels_len(const vi_levels *l, size_t i) { return l->len[i]; }

int vi_levels_value(const vi_levels *l, size_t i, float *v)
{
	if (!l->is_number[i])
		return 0;
	*v = l->value[i];
	return 1;
}

/* The slot of text s: its own, or the empty one where it would go. */
static size_t text_slot(const vi_levels *l, const char *s, size_t len)
{
	size_t i = (size_t)vi_hash_text(s, len) & l->mask;

	for (; l->slot[i]; i = (i + 1) & l->mask) {
		size_t k = l->slot[i] - 1;
		if (l->len[k] == len && !memcmp(l->text[k], s, len))
			break;
	}
	return i;
}

static size_t value_slot(const vi_levels *l, float v)
{
	size_t i = (size_t)hash_value(v) & l->vmask;

	while (l->vslot[i] && l->value[l->vslot[i] - 1] != v)
		i = (i + 1) & l->vmask;
	return i;
}

long vi_levels_find(const vi_levels *l, const char *s, size_t len)
{
	size_t i = text_slot(l, s, len);

	return l->slot[i] ? (long)l->slot[i] - 1 : -1;
}

long vi_levels_find_value(const vi_levels *l, float v)
{
	size_t i;

	if (v != v)
		return -1;
	i = value_slot(l, v);
	return l->vslot[i] ? (long)l->vslot[i] - 1 : -1;
}

/* Double a table of slots and put its indices back in: text (values 0) or
 * values (1).  @return 0, or -1 when memory is short (the old one stays). */
static int grow(vi_levels *l, int values)
{
	size_t *old = values ? l->vslot : l->slot, n = (values ? l->vmask : l->mask) + 1;
	size_t *slot = calloc(2 * n, sizeof *slot);

	if (!slot)
		return -1;
	if (values) {
		l->vslot = slot;
		l->vmask = 2 * n - 1;
	} else {
		l->slot = slot;
		l->mask = 2 * n - 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!old[i])
			continue;
		size_t k = old[i] - 1;
		slot[values ? value_slot(l, l->value[k]) : text_slot(l, l->text[k], l->len[k])] = k + 1;
	}
	free(old);
	return 0;
}

static int reserve(vi_levels *l)
{
	size_t cap = l->cap ? 2 * l->cap : 16;
	char **text;
	size_t *len;
	float *value;
	unsigned char *num;

	if (l->n < l->cap)
		return 0;
	if (!(text = realloc(l->text, cap * sizeof *text)))
		return -1;
	l->text = text;
	if (!(len = realloc(l->len, cap * sizeof *len)))
		return -1;
	l->len = len;
	if (!(value = realloc(l->value, cap * sizeof *value)))
		return -1;
	l->value = value;
	if (!(num = realloc(l->is_number, cap)))
		return -1;
	l->is_number = num;
	l->cap = cap;
	return 0;
}

long vi_levels_add(vi_levels *l, const char *s, size_t len)
{
	size_t i = text_slot(l, s, len), k = l->n;
	char *copy;
	float v;

	if (l->slot[i])
		return (long)l->slot[i] - 1;
	if ((2 * (l->n + 1) > l->mask + 1 && grow(l, 0)) || (2 * (l->n_values + 1) > l->vmask + 1
	    && grow(l, 1)) || reserve(l) || !(copy = malloc(len + 1)))
		return -1;
	memcpy(copy, s, len);
	copy[len] = 0;
	l->text[k] = copy;
	l->len[k] = len;
	l->is_number[k] = vi_parse_float(copy, len, &v) == 0;   /* strtof needs the NUL */
	l->value[k] = l->is_number[k] ? v : 0;
	l->n++;
	l->slot[text_slot(l, s, len)] = k + 1;
	if (l->is_number[k] && !l->vslot[i = value_slot(l, v)]) {
		l->vslot[i] = k + 1;
		l->n_values++;
	}
	return (long)k;
}
