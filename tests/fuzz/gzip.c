/* tests/fuzz/gzip.c: the reader's inflate path (lib/source.c) and whatever
 * format the inflated bytes sniff as.  Input: one gzip control byte, two
 * reader control bytes (format auto), then the payload, which the byte
 * says how to feed:
 *   bits 0-1  0: as it is (the fuzzer writes the gzip members, headers,
 *                flags, trailers itself, from seeds that are gzip files);
 *             1, 2: gzip-compressed here at level 0 (stored blocks, the
 *                payload visible through them) or level 1, so the fuzzer
 *                works on the text while inflate runs;
 *             3: a gzip header, then the payload as the deflate stream,
 *                then a trailer of zeros: inflate on arbitrary data.
 *   bits 2-4  modes 1 and 2: the payload repeated 2^k times before
 *             compression (at most 1 MiB), to cross the reader's 64 KiB
 *             blocks from a small input;
 *   bit 5     modes 1 and 2: two members, the payload split in its middle;
 *   bits 6-7  modes 1 and 2: the stream cut short by 0, 1, 4 or 12 bytes
 *             (inside the 8-byte trailer, or into the deflate data).
 * With VAE_FUZZ_GZIP_CUT=strict in the environment, a cut stream the
 * reader reads to its end without an error aborts: the property the
 * trailer check must hold (tests/fuzz/known/README). */
#include "fuzz.h"          /* first: it asks for memfd_create */

#include <zlib.h>

#define MAX_PLAIN ((size_t)1 << 20)

/* Append one gzip member of p[0..n) at level to out (room for it all). */
static size_t member(unsigned char *out, size_t room, const uint8_t *p, size_t n, int level)
{
	z_stream z;
	size_t len;

	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (unsigned char *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)room;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	len = room - z.avail_out;
	deflateEnd(&z);
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t cuts[4] = { 0, 1, 4, 12 };
	fuzz_ctl c;
	fuzz_file f;
	unsigned mode, ctl;
	size_t at, n, len = 0, room, cut;
	unsigned char *out, *plain = NULL;
	const uint8_t *p;
	int rc;

	if (size < 1)
		return 0;
	ctl = data[0];
	mode = ctl & 3;
	at = 1 + fuzz_ctl_decode(&c, data + 1, size - 1, VAE_FMT_AUTO);
	p = data + at;
	n = size - at;
	if (mode == 0) {
		fuzz_file_open(&f, p, n);
		fuzz_read(f.path, &c, NULL, NULL);
		fuzz_file_close(&f);
		return 0;
	}
	if (mode == 3) {
		static const unsigned char head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
		if (!(out = malloc(10 + n + 8)))
			abort();
		memcpy(out, head, 10);
		memcpy(out + 10, p, n);
		memset(out + 10 + n, 0, 8);
		fuzz_file_open(&f, out, 10 + n + 8);
		free(out);
		fuzz_read(f.path, &c, NULL, NULL);
		fuzz_file_close(&f);
		return 0;
	}
	for (unsigned k = ctl >> 2 & 7; k > 0 && n && n * 2 <= MAX_PLAIN; k--) {
		unsigned char *q = realloc(plain, n * 2);
		if (!q)
			abort();
		if (!plain)
			memcpy(q, p, n);
		memcpy(q + n, q, n);
		plain = q;
		p = plain;
		n *= 2;
	}
	room = 2 * compressBound((uLong)n) + 64;
	if (!(out = malloc(room)))
		abort();
	if (ctl >> 5 & 1) {
		len = member(out, room, p, n / 2, mode == 1 ? 0 : 1);
		len += member(out + len, room - len, p + n / 2, n - n / 2, mode == 1 ? 0 : 1);
	} else {
		len = member(out, room, p, n, mode == 1 ? 0 : 1);
	}
	cut = cuts[ctl >> 6];
	if (cut > len)
		cut = len;
	fuzz_file_open(&f, out, len - cut);
	free(out);
	free(plain);
	rc = fuzz_read(f.path, &c, NULL, NULL);
	fuzz_file_close(&f);
	if (cut && rc == 0 && len - cut > 2) {
		const char *strict = getenv("VAE_FUZZ_GZIP_CUT");
		if (strict && !strcmp(strict, "strict")) {
			fprintf(stderr, "a gzip stream cut %zu bytes short was read without an error\n", cut);
			abort();
		}
	}
	return 0;
}
