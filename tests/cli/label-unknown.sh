# A class the model does not have.  Given as --label VALUE to vae-sample
# or vae-dec it is a usage error (exit 64) that lists the classes; "NA",
# like an empty cell, is no label, so no class either.  In the label
# column of the rows vae-enc, vae-score and vae-dec read, it is bad data
# (exit 65) named by file, line and field, text or number, by name or by
# --label's field number, from a file or from stdin.
. "$TOP/tests/setup"
. "$TOP/tests/gen-labels.sh"
labelled 30 > train.csv
vae-fit -q -k id --label kind -e 1 -j 1 -o m.vae train.csv
vae-sample -m m.vae --label fish > /dev/null || echo "vae-sample --label fish: exit $?"
vae-sample -m m.vae --label NA > /dev/null || echo "vae-sample --label NA: exit $?"
vae-enc -m m.vae -k id --predict train.csv > codes.csv
vae-dec -m m.vae --label fish codes.csv > /dev/null || echo "vae-dec --label fish: exit $?"
# row 4 (line 5) of the class fish
awk -F, -v OFS=, 'NR == 5 { $6 = "fish" } { print }' train.csv > fish.csv
vae-enc -m m.vae -k id fish.csv > /dev/null || echo "vae-enc: exit $?"
vae-score -m m.vae -k id fish.csv > /dev/null || echo "vae-score: exit $?"
vae-score -m m.vae -k id < fish.csv > /dev/null || echo "vae-score < fish.csv: exit $?"
cut -d, -f1,6 fish.csv > labels.csv
cut -d, -f2-5 fish.csv | paste -d, labels.csv - > moved.csv     # id,kind,a,b,c,d
vae-score -m m.vae -k 1 --label 2 moved.csv > /dev/null || echo "vae-score --label 2: exit $?"
awk -F, -v OFS=, 'NR == 3 { $4 = "fish" } { print }' codes.csv > codes-fish.csv
vae-dec -m m.vae codes-fish.csv > /dev/null || echo "vae-dec: exit $?"
# a number that is no class of a numeric label, in an NPY array
labelled_npy 30 > train.npy
vae-fit -q --label 5 -e 1 -j 1 -o n.vae train.npy
labelled_npy 3 1 | sed 's/\x00\x00\x20\x41/\x00\x00\x40\x40/' > three.npy    # 10.0 as 3.0
vae-score -m n.vae --label 5 three.npy > /dev/null || echo "vae-score, a number: exit $?"
