# GNU parallel on input with a header line, as man/vae-score.1 gives it
# (GNU parallel): --header 1 gives every part the header line, awk keeps
# the first copy of the output's; with -t each part exits 0 for "no row
# over it" and awk tells 0 or 1 from the joined rows; with -c awk sums the
# counts.  Output and exit status are the serial run's, byte for byte.
# The parts are -N 1024 rows, a multiple of the 64-row blocks, so every
# row keeps its place in its block and the bytes agree on any BLAS, even
# one whose kernels round a row by its place (man/vae.7, DETERMINISM).
. "$TOP/tests/setup"
if ! command -v parallel > /dev/null; then
	echo "skipped: GNU parallel is not installed" >&2
	exit 77
fi
export HOME="$TMP"                  # parallel keeps its files in ~/.parallel
W=$TOP/examples/metrics-week.csv
{ cat "$W"; tail -n +2 "$W"; tail -n +2 "$W"; } > data.csv
echo "rows: $(($(wc -l < data.csv) - 1))"
vae-fit -q -e 2 -j 1 -k time,host -o m.vae "$W"
PAR="parallel --will-cite --pipe --keep-order --header 1 -N 1024"

# scores: the output's header line once
vae-score -m m.vae -k time data.csv > serial.out
$PAR vae-score -m m.vae -k time < data.csv |
	awk 'NR == 1 { h = $0 } NR == 1 || $0 != h' > split.out
cmp serial.out split.out && echo "scores: same bytes"

# -t: serial and split, bytes and exit status
threshold() {
	s1=0; s2=0
	vae-score -m m.vae -k time -t "$1" data.csv > serial.out || s1=$?
	{ $PAR --halt now,fail=1 \
		"vae-score -m m.vae -k time -t $1; s=\$?; exit \$((s == 1 ? 0 : s))" \
		< data.csv > parts.out &&
	  awk 'NR == 1 { h = $0; print; next } $0 != h { print; n++ } END { exit !n }' \
		parts.out > split.out; } || s2=$?
	cmp serial.out split.out && echo "-t $1: same bytes, $(($(wc -l < serial.out) - 1)) rows; exit $s1 and $s2"
}
threshold p99.9
threshold 1e30

# -c: the counts summed
count() {
	s1=0; s2=0
	vae-score -m m.vae -t "$1" -c data.csv > serial.out || s1=$?
	{ $PAR --halt now,fail=1 \
		"vae-score -m m.vae -t $1 -c; s=\$?; exit \$((s == 1 ? 0 : s))" \
		< data.csv > counts.out &&
	  awk '{ n += $1 } END { print n + 0; exit !n }' counts.out > split.out; } || s2=$?
	cmp serial.out split.out && echo "-t $1 -c: $(cat serial.out) both; exit $s1 and $s2"
}
count p99.9
count 1e30

# an error in the fourth part: above 1, the serial status
awk -F, -v OFS=, 'NR == 3500 { $3 = "n/a" } { print }' data.csv > bad.csv
s1=0; s2=0
vae-score -m m.vae -k time -t p99.9 bad.csv > /dev/null 2>&1 || s1=$?
$PAR --halt now,fail=1 "vae-score -m m.vae -k time -t p99.9; s=\$?; exit \$((s == 1 ? 0 : s))" \
	< bad.csv > /dev/null 2>&1 || s2=$?
echo "an error: exit $s1 and $s2"
