#!/bin/sh
# tests/fuzz/run.sh: make fuzz.  Builds the libFuzzer harnesses (make
# fuzz-build) and runs each in FUZZ for FUZZ_SECONDS, FUZZ_JOBS at a time,
# from a scratch copy of its seeds (tests/fuzz/corpus/NAME and
# tests/fuzz/regress/NAME): what the fuzzer adds to its corpus never lands
# in the tree.  Prints each harness's executions, executions a second and
# coverage, and exits 1 when any harness found a crash, a leak, a timeout
# (10 s) or an allocation over the limits (2048 MB), keeping the scratch
# directory with the input that did it.  Exits 0 with a message, having
# run nothing, when FUZZ_CC cannot link -fsanitize=fuzzer.
#
# libFuzzer stops at its first finding.  FUZZ_KEEP_GOING=1 runs it in fork
# mode, ignoring crashes, timeouts and out-of-memory, so that a known bug
# found in the first seconds does not end the run: every finding is kept
# as an input in the scratch directory, and any fails make fuzz all the
# same.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_JOBS=${FUZZ_JOBS:-1}
FUZZ_CC=${FUZZ_CC:-clang}
FUZZ=${FUZZ:-text npy idx gzip model table}
MAKE=${MAKE:-make}
keep_going=
[ "${FUZZ_KEEP_GOING:-0}" = 1 ] && keep_going="-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/vae-fuzz.XXXXXX") || exit 1
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\n%s\n' \
	'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
	> "$scratch/probe.c"
if ! command -v "$FUZZ_CC" > /dev/null 2>&1 \
   || ! "$FUZZ_CC" -fsanitize=fuzzer,address,undefined -o "$scratch/probe" "$scratch/probe.c" \
	> /dev/null 2>&1; then
	echo "make fuzz: skipped: $FUZZ_CC cannot link -fsanitize=fuzzer (clang with libFuzzer: make deps)"
	rm -rf "$scratch"
	exit 0
fi
$MAKE fuzz-build FUZZ_CC="$FUZZ_CC" || { rm -rf "$scratch"; exit 1; }

# One harness: its seeds copied, then the fuzzer, its output in NAME/log.
fuzz_one() {
	d=$scratch/$1
	mkdir -p "$d/corpus"
	for s in tests/fuzz/corpus/"$1"/* tests/fuzz/regress/"$1"/*; do
		[ -f "$s" ] && cp "$s" "$d/corpus/"
	done
	"tests/fuzz/$1-fuzz" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 \
		-malloc_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$d/" $keep_going "$d/corpus" > "$d/log" 2>&1
	echo $? > "$d/rc"
}

echo "make fuzz: $FUZZ_SECONDS s per harness, $FUZZ_JOBS at a time, in $scratch"
# FUZZ_JOBS lanes, each running its share of the harnesses in turn.
lane=0
while [ "$lane" -lt "$FUZZ_JOBS" ]; do
	(
		i=0
		for n in $FUZZ; do
			[ $((i % FUZZ_JOBS)) -eq "$lane" ] && fuzz_one "$n"
			i=$((i + 1))
		done
	) &
	lane=$((lane + 1))
done
wait

failed=0
printf '%-8s %12s %8s %7s %7s  %s\n' harness execs exec/s cov ft result
for n in $FUZZ; do
	d=$scratch/$n
	rc=$(cat "$d/rc" 2>/dev/null || echo '?')
	found=$(cd "$d" && ls crash-* leak-* timeout-* oom-* slow-unit-* 2>/dev/null | wc -l)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$d/log" | tail -n 1)
	if [ -z "$execs" ]; then        # fork mode: "#N: cov: C ft: F ... exec/s: R ..."
		execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$d/log" | tail -n 1)
		rate=$(sed -n 's/^#[0-9]*: cov:.* exec\/s:* \([0-9]*\).*/\1/p' "$d/log" | tail -n 1)
	fi
	cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/\1 \2/p' "$d/log" | tail -n 1)
	if [ "$rc" = 0 ] && [ "$found" = 0 ]; then
		result=ok
	else
		failed=1
		why=$(grep -m 1 -E '^==[0-9]+==ERROR|^SUMMARY|ERROR: libFuzzer' "$d/log" | sed 's/^==[0-9]*==//')
		art=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$d/log" | tail -n 1)
		result="FAILED (exit $rc, $found inputs kept): ${why:-see $d/log}${art:+; input $art}"
	fi
	printf '%-8s %12s %8s %7s %7s  %s\n' "$n" "${execs:--}" "${rate:--}" \
		${cov:-- -} "$result"
done
if [ "$failed" = 1 ]; then
	echo "make fuzz: failed; logs and inputs in $scratch (tests/fuzz/README: saving a regression)"
	exit 1
fi
rm -rf "$scratch"
exit 0
