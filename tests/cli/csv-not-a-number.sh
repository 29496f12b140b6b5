# A non-numeric field in a model column: file:line:column, the text, exit 65.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,2,3\n4,5,6\n7,n/a,9\n' > bad.csv
vae-score -m m.vae bad.csv > /dev/null || echo "vae-score: exit $?"
vae-enc -m m.vae bad.csv > /dev/null || echo "vae-enc: exit $?"
vae-fit -q -e 1 --missing error -o m2.vae bad.csv || echo "vae-fit: exit $?"
test ! -e m2.vae && echo "no model"
# Not in a kept column: there any text is fine.
printf 'a,b,c,note\n1,2,3,n/a\n' | vae-score -m m.vae -k note | cut -d, -f1
