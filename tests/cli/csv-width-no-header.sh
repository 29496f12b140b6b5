# Without a header, columns are taken by position: a row with more or fewer
# fields than the model has columns is bad data at its line.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
printf '1,2\n3,4\n' > two.csv
printf '1,2,3,4\n5,6,7,8\n' > four.csv
vae-score -m m.vae two.csv || echo "two: exit $?"
vae-score -m m.vae four.csv || echo "four: exit $?"
tail -n +2 "$DATA/tiny.csv" | vae-score -m m.vae | wc -l
