# A gzip stream cut short (here inside its CRC trailer) is bad data, exit 65,
# at the line the text had reached: never a quiet end of input.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,2,3\n4,5,6\n' | gzip -nc > full.gz
head -c $(($(wc -c < full.gz) - 4)) full.gz > cut.csv.gz
vae-score -m m.vae cut.csv.gz > /dev/null
