# -f and -k take 1-based lists like cut (1,3-5 and 7-) or header names; the
# same columns by number or by name give the same model and output.
. "$TOP/tests/setup"
names() {
	vae-info "$1" | awk -F'\t' 'NF == 4 && $1 ~ /^[0-9]+$/ { n = n " " $2 } END { print "columns:" n }'
}
W=$DATA/wide.csv
vae-fit -q -e 1 -j 1 -f 3-5,7- -o range.vae "$W" && names range.vae
vae-fit -q -e 1 -j 1 -f a,b,c,e,f -o name.vae "$W" && cmp range.vae name.vae && echo "by name: same model"
vae-fit -q -e 1 -j 1 -f 3,4,5,7,8 -o list.vae "$W" && cmp range.vae list.vae && echo "by list: same model"
vae-fit -q -e 1 -j 1 -k 1,2,6 -o keep.vae "$W" && cmp range.vae keep.vae && echo "the rest of -k: same model"
vae-fit -q -e 1 -j 1 -f 1,3-5 -o mixed.vae "$W" && names mixed.vae
vae-fit -q -e 1 -j 1 -f 5- -o open.vae "$W" && names open.vae
vae-score -m range.vae -k 1,2 "$W" > by-number.csv
sed 's/,[^,]*$//' by-number.csv
vae-score -m range.vae -k id,tag "$W" | cmp - by-number.csv && echo "-k by name: same output"
vae-score -m range.vae -f 3-5,7- -k 1-2 "$W" | cmp - by-number.csv && echo "-f by range: same output"
vae-score -m range.vae -k d "$W" | sed 's/,[^,]*$//' | tr '\n' ' '
echo
