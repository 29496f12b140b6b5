# A header without one of the model's columns: bad data naming the column.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
printf 'a,c,d\n1,2,3\n' > other.csv
vae-score -m m.vae other.csv
