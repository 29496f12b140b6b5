# CRLF line ends give the same model, codes, scores and kept fields as LF,
# and the same line numbers in messages; the \r never reaches a field.
. "$TOP/tests/setup"
sed 's/$/\r/' "$DATA/tiny.csv" > tiny-crlf.csv
vae-fit -q -e 1 -j 1 -o lf.vae "$DATA/tiny.csv"
vae-fit -q -e 1 -j 1 -o crlf.vae tiny-crlf.csv
cmp lf.vae crlf.vae && echo "same model"
vae-score -m lf.vae "$DATA/tiny.csv" > lf.out
vae-score -m lf.vae tiny-crlf.csv | cmp - lf.out && echo "same scores"
# A kept text column last on the line, where a stray \r would show.
printf 'a,b,c,note\n1,2,3,x\n4,5,6,"y, z"\n7,8,9.5,w\n' > last.csv
sed 's/$/\r/' last.csv > last-crlf.csv
vae-enc -m lf.vae -k note last.csv > lf.out
vae-enc -m lf.vae -k note last-crlf.csv | cmp - lf.out && echo "same kept fields"
sed 's/,[^,"]*,[^,"]*$//' lf.out
printf 'a,b,c\r\n1,2,3\r\n\r\n4,5,6\r\n7,n/a,9\r\n' > bad-crlf.csv
vae-score -m lf.vae bad-crlf.csv > /dev/null
