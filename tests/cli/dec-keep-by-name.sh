# vae-dec takes vae-enc's latent columns z1..zK by name when the input has
# a header, and keeps every other field in front as if -k named it, but
# --logvar's logvar1..logvarK: vae-enc -k id | vae-dec needs no second -k.
# An explicit -f or -k still wins; without a header, columns go by place.
. "$TOP/tests/setup"
awk 'NR == 1 { print "id," $0; next } { print "r" NR - 1 "," $0 }' "$DATA/tiny.csv" > in.csv
vae-fit -q -e 2 -k id -o m.vae in.csv
vae-enc -m m.vae -k id in.csv > z.csv
vae-dec -m m.vae z.csv > auto.csv
head -1 auto.csv
cut -d, -f1 auto.csv | tail -n +2 | tr '\n' ' ' && echo
vae-dec -m m.vae -k id z.csv | cmp - auto.csv && echo "-k id: the same"
vae-enc -m m.vae -k id --logvar in.csv | vae-dec -m m.vae | cmp - auto.csv && echo "--logvar: left out"
awk -F, -v OFS=, '{ print $3, $1, $2 }' z.csv | vae-dec -m m.vae | head -1
vae-dec -m m.vae -f z1,z2 z.csv | head -1
vae-dec -m m.vae -O npy -o r.npy z.csv && echo "-O npy: codes only"
# Without a header, by place as before: the id is one field too many.
sed 1d z.csv | vae-dec -m m.vae --no-header || echo "exit $?"
tail -n +2 auto.csv > auto.rows
sed 1d z.csv | vae-dec -m m.vae --no-header -k 1 | cmp - auto.rows && echo "no header, -k 1: the same rows"
# vae-score's rows over a threshold carry the fields as given: vae-enc
# finds the model's columns among them by name.
vae-score -m m.vae -k id -t -1e30 in.csv | vae-enc -m m.vae -k id | cmp - z.csv && echo "vae-score -t | vae-enc: the same codes"
