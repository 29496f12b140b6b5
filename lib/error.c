/* error.c: error codes and messages, and the library version. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

const char *vae_version(void)
{
	return VAE_VERSION;
}

const char *vae_strerror(int code)
{
	switch (code) {
	case VAE_OK: return "success";
	case VAE_ENOMEM: return "out of memory";
	case VAE_EIO: return "I/O error";
	case VAE_EDATA: return "bad data";
	case VAE_EMODEL: return "bad model file";
	case VAE_EPARAM: return "bad parameter";
	case VAE_ENUMERIC: return "training diverged";
	case VAE_ENOINPUT: return "cannot open input";
	case VAE_EINTERNAL: return "internal error";
	}
	return "unknown error";
}

int vi_fail(vae_err *e, int code, const char *file, unsigned long line,
             unsigned long column, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	e->sys = (code == VAE_EIO || code == VAE_ENOINPUT) ? errno : 0;
	e->about = VAE_ABOUT_NOTHING;
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	e->column = column;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return code;
}
