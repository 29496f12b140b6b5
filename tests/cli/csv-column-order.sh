# Columns in another order (and an extra one) in the header are found by
# name: the same codes and scores as in the training order.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
awk -F, -v OFS=, '{ print $3, (NR == 1 ? "extra" : NR), $1, $2 }' "$DATA/tiny.csv" > shuffled.csv
head -1 shuffled.csv
vae-score -m m.vae "$DATA/tiny.csv" > want.out
vae-score -m m.vae shuffled.csv | cmp - want.out && echo "same scores"
vae-enc -m m.vae "$DATA/tiny.csv" > want.out
vae-enc -m m.vae shuffled.csv | cmp - want.out && echo "same codes"
