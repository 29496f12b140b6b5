# GNU parallel cuts 100,000 rows into parts of 10,000, not a multiple of
# the 64-row blocks, so most rows are scored at another place in their
# block than in the serial run; with --portable the joined output is the
# serial run's byte for byte on any BLAS (tests/cli/parallel-rows.sh is
# the same without it, on a BLAS that allows it).
. "$TOP/tests/setup"
if ! command -v parallel > /dev/null; then
	echo "skipped: GNU parallel is not installed" >&2
	exit 77
fi
export HOME="$TMP"                  # parallel keeps its files in ~/.parallel
awk -v n=2000 -v seed=4 -v header=1 -f "$TOP/tests/gen-manifold.awk" > train.csv
awk -v n=100000 -v seed=5 -v header=1 -f "$TOP/tests/gen-manifold.awk" > rows.csv
vae-fit -q -j 1 -e 2 -H 64 -z 2 --portable -o m.vae train.csv
vae-score --portable -m m.vae rows.csv > serial
parallel --will-cite --pipe --keep-order --header 1 -N 10000 vae-score --portable -m m.vae \
	< rows.csv | awk 'NR == 1 { h = $0 } NR == 1 || $0 != h' > split
cmp serial split
[ "$(wc -l < serial)" -eq 100001 ]
