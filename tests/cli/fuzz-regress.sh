# The fuzz harnesses, built without libFuzzer (tests/fuzz/NAME-replay), run
# every seed of tests/fuzz/corpus/NAME and every input a fuzzer once failed
# on, tests/fuzz/regress/NAME, once each: all must return.  Under the ASan
# build of CI a leak or a bad access fails it too.  tests/fuzz/known/ holds
# inputs that fail today and is left out (tests/fuzz/known/README).
. "$TOP/tests/setup"
for name in text npy idx gzip model table; do
	replay=$TOP/tests/fuzz/$name-replay
	[ -x "$replay" ] || { echo "$replay: not built (make check builds it)" >&2; exit 1; }
	set --
	for f in "$TOP/tests/fuzz/corpus/$name"/* "$TOP/tests/fuzz/regress/$name"/*; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	[ $# -gt 0 ] || { echo "no seeds in tests/fuzz/corpus/$name" >&2; exit 1; }
	for f; do
		"$replay" "$f" || { echo "$name: $f: exit $?" >&2; exit 1; }
	done
done
