# tests/cli/portable-parallel.sh without --portable: GNU parallel's parts
# of 10,000 rows, cut inside the 64-row blocks, give the serial bytes
# where BLAS rounds a row alike at every place in a block, and the test
# is skipped where it does not (man/vae.7, DETERMINISM).
. "$TOP/tests/setup"
if ! command -v parallel > /dev/null; then
	echo "skipped: GNU parallel is not installed" >&2
	exit 77
fi
blas_rows_or_skip 64,10 4,64 64,2 10,64   # 10 -> 64 -> [2] -> 64 -> 10
export HOME="$TMP"                  # parallel keeps its files in ~/.parallel
awk -v n=2000 -v seed=4 -v header=1 -f "$TOP/tests/gen-manifold.awk" > train.csv
awk -v n=100000 -v seed=5 -v header=1 -f "$TOP/tests/gen-manifold.awk" > rows.csv
vae-fit -q -j 1 -e 2 -H 64 -z 2 -o m.vae train.csv
vae-score -m m.vae rows.csv > serial
parallel --will-cite --pipe --keep-order --header 1 -N 10000 vae-score -m m.vae \
	< rows.csv | awk 'NR == 1 { h = $0 } NR == 1 || $0 != h' > split
cmp serial split
[ "$(wc -l < serial)" -eq 100001 ]
