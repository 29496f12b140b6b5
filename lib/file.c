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
	char *name;             /* as the caller gave it, for messages */
	char *path;             /* the file it names, links followed */
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

/* The file path finally names: symbolic links followed (at most 40, as the
 * kernel does), a relative link read against its own directory.  A path
 * that does not exist (yet) names itself.  @return it, malloc'd, or NULL
 * with errno set. */
static char *follow_links(const char *path)
{
	char *p = strdup(path);

	for (int hops = 0; p; hops++) {
		char target[4096], *q;
		const char *slash = strrchr(p, '/');
		struct stat st;
		ssize_t n;

		if (lstat(p, &st) || !S_ISLNK(st.st_mode))
			return p;
		if (hops == 40) {
			errno = ELOOP;
			break;
		}
		if ((n = readlink(p, target, sizeof target - 1)) < 0)
			break;
		target[n] = 0;
		size_t dir = target[0] == '/' || !slash ? 0 : (size_t)(slash - p) + 1;
		if (!(q = malloc(dir + (size_t)n + 1)))
			break;
		memcpy(q, p, dir);
		memcpy(q + dir, target, (size_t)n + 1);
		free(p);
		p = q;
	}
	free(p);
	return NULL;
}

/* Open the temporary twin of f->path, which replaces a file of mode mode
 * (0: none); @return 0, or -1 with errno set. */
static int open_twin(vae_outfile *f, mode_t mode)
{
	int fd, sys;

	if (!(f->tmp = malloc(strlen(f->path) + 8)))
		return -1;
	if ((fd = create_beside(f->path, f->tmp)) < 0) {
		free(f->tmp);
		f->tmp = NULL;
		return -1;
	}
	/* as `>` would leave it: the replaced file's permissions */
	if ((!mode || fchmod(fd, mode & 07777) == 0) && (f->fp = fdopen(fd, "wb")))
		return 0;
	sys = errno;
	close(fd);
	errno = sys;
	return -1;                      /* the caller's discard removes f->tmp */
}

vae_outfile *vae_outfile_open(const char *path, vae_err *e)
{
	vae_outfile *f = calloc(1, sizeof *f);
	const char *what = "cannot create";
	struct stat st;
	int exists;

	if (!f || !(f->name = strdup(path)))
		goto nomem;
	if (!(f->path = follow_links(path)))
		goto fail;
	exists = stat(f->path, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {
		/* a FIFO or a device: renaming over it would replace it */
		if (!(f->fp = fopen(f->path, "wb")))
			goto fail;
		return f;
	}
	/* the rename would replace a file the user may not write, as `>` may not */
	if (exists && access(f->path, W_OK)) {
		what = "cannot write";
		goto fail;
	}
	if (open_twin(f, exists ? st.st_mode : 0))
		goto fail;
	return f;
fail:
	if (errno == ENOMEM)
		goto nomem;
	vi_fail(e, VAE_EIO, path, 0, 0, "%s: %s", what, strerror(errno));
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

const char *vae_outfile_temp(const vae_outfile *f)
{
	return f->tmp;
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
		rc = vi_fail(e, VAE_EIO, f->name, 0, 0, "cannot write: %s", strerror(sys));
	else if (f->tmp && rename(f->tmp, f->path))
		rc = vi_fail(e, VAE_EIO, f->name, 0, 0, "cannot rename into place: %s",
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
	free(f->name);
	free(f);
}
