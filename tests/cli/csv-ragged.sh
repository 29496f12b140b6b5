# A row with fewer fields than the first is an error naming file and line.
. "$TOP/tests/setup"
printf 'a,b\n1,2\n3,4\n5\n' > ragged.csv
vae-fit -q -e 1 -o m.vae ragged.csv
