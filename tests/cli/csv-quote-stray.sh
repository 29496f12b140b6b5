# A quote inside an unquoted field, or text after a closing quote: bad data
# at the field's line and column.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,2,3\n4,5"x,6\n' > inside.csv
printf 'a,b,c\n1,2,3\n4,"5"x,6\n' > after.csv
vae-score -m m.vae inside.csv > /dev/null || echo "inside: exit $?"
vae-score -m m.vae after.csv > /dev/null || echo "after: exit $?"
