# vae-fit on empty input has no training rows: bad data (65) naming the
# input, like a header alone; not an out-of-memory error.
. "$TOP/tests/setup"
: > empty.csv
printf 'a,b,c\n' > header-only.csv
vae-fit -q -e 1 -o m.vae header-only.csv || echo "header only: exit $?"
vae-fit -q -e 1 -o m.vae < /dev/null || echo "empty stdin: exit $?"
vae-fit -q -e 1 -o m.vae empty.csv || echo "empty file: exit $?"
ls
