# One flipped bit in the middle of a model file fails its CRC-32: refused by
# vae-info and vae-enc as corrupt (the two CRCs are masked here).
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
at=$(( $(wc -c < m.vae) / 2 ))
byte=$(od -An -tu1 -j $at -N 1 m.vae | tr -d ' ')
cp m.vae flip.vae
printf "\\$(printf %03o $((byte ^ 16)))" | dd of=flip.vae bs=1 seek=$at conv=notrunc 2> /dev/null
cmp -l m.vae flip.vae | wc -l
vae-info flip.vae > /dev/null 2> err || echo "vae-info: exit $?"
vae-enc -m flip.vae "$DATA/tiny.csv" 2>> err || echo "vae-enc: exit $?"
sed 's/[0-9a-f]\{8\}/XXXXXXXX/g' err >&2
