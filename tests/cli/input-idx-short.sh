# IDX data shorter than its dimensions (2 x 3 ubytes, 5 given): bad data,
# exit 65, at the row that is cut.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
bytes 0 0 8 2 0 0 0 2 0 0 0 3 1 2 3 4 5 > short.idx
vae-score -m m.vae short.idx > /dev/null
