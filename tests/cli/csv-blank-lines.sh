# Blank lines (leading, inside, trailing; LF or CRLF) hold no row: the same
# output as without them, but they count in the line numbers of messages.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
vae-score -m m.vae "$DATA/tiny.csv" > want.out
awk 'NR == 1 { print "\n" } { print } NR % 5 == 0 { print ""; print "" } END { print "" }' \
	"$DATA/tiny.csv" > blank.csv
vae-score -m m.vae blank.csv | cmp - want.out && echo "LF: same scores"
sed 's/$/\r/' blank.csv | vae-score -m m.vae | cmp - want.out && echo "CRLF: same scores"
printf '\n\na,b,c\n1,2,3\n\n4,5,6\n\n\nx,1,2\n' > bad.csv
vae-score -m m.vae bad.csv > /dev/null
