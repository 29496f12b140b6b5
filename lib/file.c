/* file.c: files replaced whole: written beside their place, renamed in. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

struct vae_outfile {
	FILE *fp;
	char *path;
	char *tmp;              /* NULL when path is written in place */
};

/* Create "path.XXXXXX" with O_EXCL, so no other file is ever taken over,
 * and mode 0666, so the kernel applies the umask as for any new file
 * (mkstemp's 0600 would need the umask read, which means setting it).
 * @return the descriptor, or -1 with errno set. */
static int create_beside(const char *path, char *tmp)
{
	static const char ALNUM[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t n = strlen(path);
	struct timespec ts;
	uint64_t x;

	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^ (uint64_t)getpid() << 12
	    ^ (uint64_t)(uintptr_t)tmp;
	for (int tries = 0; tries < 100; tries++) {
		int fd;
		uint64_t r = x += 0x9e3779b97f4a7c15u;

		r = (r ^ r >> 31) * 0xbf58476d1ce4e5b9u;
		memcpy(tmp, path, n);
		tmp[n] = '.';
		for (int i = 1; i <= 6; i++, r /= 62)
			tmp[n + (size_t)i] = ALNUM[r % 62];
		tmp[n + 7] = 0;
		if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

vae_outfile *vae_outfile_open(const char *path, vae_err *e)
{
	vae_outfile *f = calloc(1, sizeof *f);
	struct stat st;
	int fd = -1;

	if (!f || !(f->path = strdup(path)))
		goto nomem;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a FIFO or a device: renaming over it would replace it */
		if (!(f->fp = fopen(path, "wb")))
			goto fail;
		return f;
	}
	if (!(f->tmp = malloc(strlen(path) + 8)))
		goto nomem;
	if ((fd = create_beside(path, f->tmp)) < 0 || !(f->fp = fdopen(fd, "wb"))) {
		int sys = errno;
		if (fd >= 0) {
			close(fd);
			unlink(f->tmp);
		}
		errno = sys;
		goto fail;
	}
	return f;
fail:
	vi_fail(e, VAE_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
	if (e)
		e->sys = errno;
	vae_outfile_discard(f);
	return NULL;
nomem:
	vae_outfile_discard(f);
	vi_fail(e, VAE_ENOMEM, path, 0, 0, "out of memory");
	return NULL;
}

FILE *vae_outfile_stream(vae_outfile *f)
{
	return f->fp;
}

int vae_outfile_commit(vae_outfile *f, vae_err *e)
{
	int rc = 0, sys = 0;

	if (fflush(f->fp) || ferror(f->fp) || (f->tmp && fsync(fileno(f->fp))))
		sys = errno ? errno : EIO;
	if (fclose(f->fp) && !sys)
		sys = errno;
	f->fp = NULL;
	if (sys)
		rc = vi_fail(e, VAE_EIO, f->path, 0, 0, "cannot write: %s", strerror(sys));
	else if (f->tmp && rename(f->tmp, f->path))
		rc = vi_fail(e, VAE_EIO, f->path, 0, 0, "cannot rename into place: %s",
		             strerror(sys = errno));
	else if (f->tmp) {
		free(f->tmp);
		f->tmp = NULL;          /* renamed: nothing left to remove */
	}
	if (rc && e)
		e->sys = sys;
	vae_outfile_discard(f);
	return rc;
}

void vae_outfile_discard(vae_outfile *f)
{
	if (!f)
		return;
	if (f->fp)
		fclose(f->fp);
	if (f->tmp)
		unlink(f->tmp);
	free(f->tmp);
	free(f->path);
	free(f);
}
