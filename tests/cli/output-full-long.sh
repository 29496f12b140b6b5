# An output longer than the stdio buffer fails in the middle of the run: still
# one message naming the output, and exit 74 (the row filters stop reading).
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
awk -v n=3000 -f "$TOP/tests/gen-manifold.awk" | cut -d, -f1-3 > long.csv
vae-enc -m m.vae long.csv > /dev/full || echo "vae-enc: exit $?"
vae-score -m m.vae long.csv long.csv > /dev/full || echo "vae-score: exit $?"
vae-sample -m m.vae -n 3000 > /dev/full || echo "vae-sample: exit $?"
