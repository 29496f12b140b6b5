# vae-fit refuses to write a model to a terminal (no -o, or -o -): usage
# error 64, before reading any input.  The terminal comes from script(1);
# without a working script(1) the test is skipped (exit 77).
. "$TOP/tests/setup"
if ! script -qec true /dev/null < /dev/null > /dev/null 2>&1; then
	echo "skipped: no script(1) with -q -e -c" >&2
	exit 77
fi
on_tty() {
	rc=0
	script -qec "$1" /dev/null < /dev/null > out 2>&1 || rc=$?
	echo "$1: exit $rc"
	tr -d '\r' < out
}
msg="vae-fit: stdout is a terminal: give -o FILE or redirect the model (see 'vae-fit --help')"
{
	on_tty "vae-fit -q -e 1"
	on_tty "vae-fit -q -e 1 -o - $DATA/tiny.csv"
	on_tty "vae-fit -q -e 1 -o m.vae $DATA/tiny.csv"
	test -s m.vae && echo "m.vae written"
} > got
printf '%s\n' "vae-fit -q -e 1: exit 64" "$msg" \
	"vae-fit -q -e 1 -o - $DATA/tiny.csv: exit 64" "$msg" \
	"vae-fit -q -e 1 -o m.vae $DATA/tiny.csv: exit 0" "m.vae written" > want
diff want got
