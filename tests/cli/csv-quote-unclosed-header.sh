# A quote left open in the first line (the header) is bad data at 1:2, not
# a crash (the reader must not free first-record slots it never filled).
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
printf 'a,"b,c\n1,2,3\n' > header.csv
vae-score -m m.vae header.csv
