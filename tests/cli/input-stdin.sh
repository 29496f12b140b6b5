# Inputs like cat: no file argument and "-" both read stdin, with the same
# output as the file; "<stdin>" names it in messages.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o file.vae "$DATA/tiny.csv"
vae-fit -q -e 1 -j 1 -o stdin.vae < "$DATA/tiny.csv"
vae-fit -q -e 1 -j 1 -o dash.vae - < "$DATA/tiny.csv"
cmp file.vae stdin.vae && cmp file.vae dash.vae && echo "vae-fit: same model"
for p in vae-enc vae-score; do
	$p -m file.vae "$DATA/tiny.csv" > want.out
	$p -m file.vae < "$DATA/tiny.csv" | cmp - want.out &&
	$p -m file.vae - < "$DATA/tiny.csv" | cmp - want.out && echo "$p: same output"
done
printf 'a,b,c\n1,2,x\n' | vae-score -m file.vae -
