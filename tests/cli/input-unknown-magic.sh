# A first byte 0 that does not begin an IDX magic (00 00 type rank): bad
# data, exit 65, showing the four bytes, naming the file alone.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
bytes 0 1 8 2 0 0 0 1 0 0 0 3 1 2 3 > magic.bin
vae-score -m m.vae magic.bin
