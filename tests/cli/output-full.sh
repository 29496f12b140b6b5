# A full disk (> /dev/full): exit 74 and a message naming the output, for
# every program that writes.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
vae-enc -m m.vae "$DATA/tiny.csv" > z.csv
vae-enc -m m.vae "$DATA/tiny.csv" > /dev/full || echo "vae-enc: exit $?"
vae-score -m m.vae "$DATA/tiny.csv" > /dev/full || echo "vae-score: exit $?"
vae-sample -m m.vae -n 5 > /dev/full || echo "vae-sample: exit $?"
vae-dec -m m.vae z.csv > /dev/full || echo "vae-dec: exit $?"
vae-info m.vae > /dev/full || echo "vae-info: exit $?"
vae-fit -q -e 1 "$DATA/tiny.csv" > /dev/full || echo "vae-fit: exit $?"
