# Empty input (a file, stdin, only blank lines) is no rows: the filters write
# nothing and succeed; a header alone gives the output header alone.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
: > empty.csv
printf '\n\n\r\n' > blank.csv
printf 'a,b,c\n' > header-only.csv
for p in vae-enc vae-score; do
	$p -m m.vae empty.csv | wc -c
	$p -m m.vae < /dev/null | wc -c
	$p -m m.vae blank.csv | wc -c
	$p -m m.vae header-only.csv
done
vae-dec -m m.vae empty.csv | wc -c
