# make install puts the programs, libvae.a, libvae.so.0 (its soname, with
# its links), the header, vae.pc, the man pages of sections 1, 5 and 7 and
# the bash completion where they belong; a program builds against the
# installed library with pkg-config, linked to libvae.so (`pkg-config
# --cflags --libs vae`) or to libvae.a (`--static`), and runs; make
# uninstall removes every file it put there.
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
(cd "$d$prefix" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort |
	sed -E 's/[0-9]+\.[0-9]+\.[0-9]+$/VERSION/')
lib=$d$prefix/lib
# as make check was built (a sanitizer build needs its runtime)
${CC:-cc} ${CFLAGS:-} ${LDFLAGS:-} -o t-shared t.c $(PKG_CONFIG_PATH=$TMP/pc pkg-config --cflags --libs vae)
LD_LIBRARY_PATH=$lib ./t-shared | sed 's/vae [0-9.]*:/vae VERSION:/'
LD_LIBRARY_PATH=$lib ldd t-shared | grep -q "libvae.so.0 => $lib/libvae.so.0 " &&
	echo "shared: libvae.so.0 from the installed lib directory"
${CC:-cc} ${CFLAGS:-} ${LDFLAGS:-} -o t-static t.c -Wl,--as-needed "$lib/libvae.a" \
	$(PKG_CONFIG_PATH=$TMP/pc pkg-config --static --cflags --libs vae)
./t-static | sed 's/vae [0-9.]*:/vae VERSION:/'
ldd t-static | grep -q libvae || echo "static: no libvae.so needed"
MAKEFLAGS= make -s -C "$TOP" uninstall DESTDIR="$d" > /dev/null
echo "left after uninstall: $(find "$d" \( -type f -o -type l \) | wc -l) files"
