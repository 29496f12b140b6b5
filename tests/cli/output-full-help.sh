# --help and --version check their output too: > /dev/full exits 74.
. "$TOP/tests/setup"
for p in vae-fit vae-score; do
	$p --help > /dev/full 2> /dev/null || echo "$p --help: exit $?"
	$p --version > /dev/full 2> /dev/null || echo "$p --version: exit $?"
done
