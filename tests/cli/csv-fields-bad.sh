# A -f/-k list naming a column the header lacks, a field past the last one,
# or a name without a header: bad data at the header line, naming it.
. "$TOP/tests/setup"
cp "$DATA/wide.csv" . && W=wide.csv
vae-fit -q -e 1 -f a,zz -o m.vae "$W" || echo "-f a,zz: exit $?"
vae-fit -q -e 1 -f 3-9 -o m.vae "$W" || echo "-f 3-9: exit $?"
vae-fit -q -e 1 -k 1,2 -f a,b -o m.vae "$W"
vae-score -m m.vae -k nope "$W" || echo "-k nope: exit $?"
printf '1,2,3\n' > plain.csv
vae-fit -q -e 1 -f b -o m2.vae plain.csv || echo "-f b without a header: exit $?"
