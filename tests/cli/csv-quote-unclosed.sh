# A quoted field still open at the end of the input: bad data where the
# field began, with or without a final newline.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,2,3\n4,"5,6\n7,8,9\n' > spans.csv
printf 'a,b,c\n1,2,3\n4,5,"6' > at-end.csv
vae-score -m m.vae spans.csv > /dev/null || echo "spans: exit $?"
vae-score -m m.vae at-end.csv > /dev/null || echo "at-end: exit $?"
vae-fit -q -e 1 -o m2.vae spans.csv || echo "vae-fit: exit $?"
