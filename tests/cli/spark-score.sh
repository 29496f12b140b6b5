# examples/spark-score.py in Spark's local mode: a model fitted on the week
# scores the day eleven times over (3168 rows) in parts of 1024 rows, plus
# one of 96, and in parts of 128 with -k time; the part files joined are the
# serial output, byte for byte.  Skipped without pyspark or java.
. "$TOP/tests/setup"
if ! python3 -c 'import pyspark' 2> /dev/null; then
	echo "skipped: python3 cannot import pyspark" >&2
	exit 77
fi
if ! command -v java > /dev/null; then
	echo "skipped: java is not installed" >&2
	exit 77
fi
export HOME="$TMP" PYSPARK_PYTHON=python3
D=$TOP/examples/metrics-day.csv
{ cat "$D"; for i in 1 2 3 4 5 6 7 8 9 10; do tail -n +2 "$D"; done; } > data.csv
echo "rows: $(($(wc -l < data.csv) - 1))"
vae-fit -q -e 2 -j 1 -k time,host -o m.vae "$TOP/examples/metrics-week.csv"

spark() {
	out=$1; shift
	python3 "$TOP/examples/spark-score.py" "$@" > spark.log 2>&1 ||
		{ cat spark.log >&2; exit 1; }
	cat "$out"/part-* > spark.out
}
vae-score -m m.vae data.csv > serial.out
spark out1 --rows 1024 m.vae data.csv out1
cmp serial.out spark.out && echo "elbo, parts of 1024: same bytes"
vae-score -m m.vae -k time data.csv > serial.out
spark out2 --rows 128 m.vae data.csv out2 -k time
cmp serial.out spark.out && echo "-k time, parts of 128: same bytes"
