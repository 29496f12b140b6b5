# A gzip header with an unknown compression method (7; deflate is 8) is
# corrupt: bad data, exit 65, with zlib's reason.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,2,3\n' | gzip -nc > full.gz
{ head -c 2 full.gz; printf '\007'; tail -c +4 full.gz; } > method.csv.gz
vae-score -m m.vae method.csv.gz > /dev/null
