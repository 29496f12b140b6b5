# A malformed -f/-k range (field 0, a reversed range) is a usage error (64):
# one line naming the option and pointing to --help, like any bad option.
. "$TOP/tests/setup"
vae-fit -q -e 1 -f 0 -o m.vae "$DATA/tiny.csv" || echo "-f 0: exit $?"
vae-fit -q -e 1 -f 3-2 -o m.vae "$DATA/tiny.csv" || echo "-f 3-2: exit $?"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
vae-score -m m.vae -k 0 "$DATA/tiny.csv" || echo "-k 0: exit $?"
