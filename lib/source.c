/* source.c: the reader's bytes: read(2) on a descriptor, gunzipped if need be. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read.h"

/* zlib's gzread waits until its buffer is full; read(2) returns what a pipe
 * has, so `tail -f log | vae-score -u` answers each line at once. */
static ssize_t raw_read(vi_source *s, void *b, size_t n)
{
	ssize_t got;

	do
		got = read(s->fd, b, n);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		s->fault->line = 0;     /* the file's failure, not a record's */
		vi_fault_set(s->fault, 0, VAE_EIO, "cannot read: %s", strerror(errno));
	}
	s->raw_bytes += got > 0 ? (uint64_t)got : 0;
	return got;
}

int vi_source_init(vi_source *s, vi_fault *fault)
{
	s->fault = fault;
	s->buf = malloc(VI_SOURCE_BLOCK);
	s->in = malloc(VI_SOURCE_BLOCK);
	return s->buf && s->in ? 0 : -1;
}

/* Read ahead until the gzip magic can be told; start inflate if present. */
int vi_source_start(vi_source *s, int fd)
{
	struct stat st;

	s->fd = fd;
	s->size = !fstat(fd, &st) && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	while (s->in_len < 2 && !s->raw_eof) {
		ssize_t got = raw_read(s, s->in + s->in_len, VI_SOURCE_BLOCK - s->in_len);
		if (got < 0)
			return s->fault->rc;
		s->raw_eof = got == 0;
		s->in_len += (size_t)got;
	}
	if (s->in_len < 2 || s->in[0] != 0x1f || s->in[1] != 0x8b)
		return 0;
	s->gzip = 1;
	if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
		return vi_fault_set(s->fault, 0, VAE_ENOMEM, "cannot start gzip decompression");
	s->z.next_in = s->in;
	s->z.avail_in = (uInt)s->in_len;
	return 0;
}

void vi_source_free(vi_source *s)
{
	if (s->fd > STDIN_FILENO)
		close(s->fd);
	if (s->gzip)
		inflateEnd(&s->z);
	free(s->in);
	free(s->buf);
}

/* ======================================================================
 * Bytes out
 * ==================================================================== */

static size_t plain(vi_source *s, unsigned char *out, size_t cap)
{
	ssize_t got;

	if (s->in_pos < s->in_len) {            /* what vi_source_start read ahead */
		size_t n = s->in_len - s->in_pos < cap ? s->in_len - s->in_pos : cap;
		memcpy(out, s->in + s->in_pos, n);
		s->in_pos += n;
		return n;
	}
	if (s->raw_eof || (got = raw_read(s, out, cap)) <= 0)
		return 0;
	return (size_t)got;
}

/* Inflate into out until something comes out or the input ends; gzip
 * members may follow one another, as gzip(1) writes with -c >>. */
static size_t inflated(vi_source *s, unsigned char *out, size_t cap)
{
	z_stream *z = &s->z;

	z->next_out = out;
	z->avail_out = (uInt)cap;
	while (z->avail_out == cap && !s->fault->rc) {
		if (z->avail_in == 0 && !s->raw_eof) {
			ssize_t got = raw_read(s, s->in, VI_SOURCE_BLOCK);
			if (got < 0)
				break;
			s->raw_eof = got == 0;
			z->next_in = s->in;
			z->avail_in = (uInt)got;
		}
		if (s->z_end) {
			if (z->avail_in == 0 && s->raw_eof)
				break;                  /* the last member ended */
			if (z->avail_in == 0)
				continue;
			inflateReset(z);
			s->z_end = 0;
		}
		int rc = inflate(z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END)
			s->z_end = 1;
		else if (rc == Z_BUF_ERROR && s->raw_eof && z->avail_in == 0)
			vi_fault_set(s->fault, 0, VAE_EDATA, "truncated gzip data");
		else if (rc != Z_OK && rc != Z_BUF_ERROR)
			vi_fault_set(s->fault, 0, VAE_EDATA, "corrupt gzip data: %s",
			             z->msg ? z->msg : "bad stream");
	}
	return cap - z->avail_out;
}

static size_t more(vi_source *s, unsigned char *out, size_t cap)
{
	return s->gzip ? inflated(s, out, cap) : plain(s, out, cap);
}

int vi_source_refill(vi_source *s)
{
	s->pos = 0;
	s->len = s->eof || s->fault->rc ? 0 : more(s, s->buf, VI_SOURCE_BLOCK);
	s->eof = s->len == 0;
	return s->fault->rc;
}

int vi_source_need(vi_source *s, size_t n)
{
	memmove(s->buf, s->buf + s->pos, s->len - s->pos);
	s->len -= s->pos;
	s->pos = 0;
	while (s->len < n && !s->eof && !s->fault->rc) {
		size_t got = more(s, s->buf + s->len, VI_SOURCE_BLOCK - s->len);
		s->eof = got == 0;
		s->len += got;
	}
	return s->len >= n ? 0 : -1;
}
