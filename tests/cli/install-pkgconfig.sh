# make install puts the library, header and vae.pc where a plain
# `cc t.c $(pkg-config --cflags --libs vae)` builds and links a program
# (libvae.a is static: its dependencies must be public in vae.pc), and
# make uninstall removes every file it put there.
. "$TOP/tests/setup"
command -v pkg-config > /dev/null || { echo "skipped: pkg-config is not installed" >&2; exit 77; }
d=$TMP/root
MAKEFLAGS= make -s -C "$TOP" install DESTDIR="$d" > /dev/null
pc=$(find "$d" -name vae.pc)
prefix=$(sed -n 's/^prefix=//p' "$pc")
mkdir pc        # the installed vae.pc, moved under DESTDIR with its files
sed "s|^prefix=.*|prefix=$d$prefix|" "$pc" > pc/vae.pc
cat > t.c <<'C'
#include <stdio.h>
#include <vae.h>

int main(void)
{
	vae_arch a = { .n_in = 3, .n_latent = 2, .n_hidden = 1, .hidden = { 8 } };
	vae_err e;
	vae_model *m = vae_model_new(&a, 1, &e);

	printf("vae %s: %s\n", vae_version(), m ? "a model" : e.msg);
	vae_model_free(m);
	return !m;
}
C
# as make check was built (a sanitizer build needs its runtime)
${CC:-cc} ${CFLAGS:-} ${LDFLAGS:-} -o t t.c $(PKG_CONFIG_PATH=$TMP/pc pkg-config --cflags --libs vae)
./t | sed 's/vae [0-9.]*:/vae VERSION:/'
MAKEFLAGS= make -s -C "$TOP" uninstall DESTDIR="$d" > /dev/null
echo "left after uninstall: $(find "$d" -type f | wc -l) files"
