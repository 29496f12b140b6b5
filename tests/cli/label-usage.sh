# What a label (vae-fit --label) refuses, each with its message and exit
# status, and no model file left behind: a model of two latent levels or
# a plain autoencoder, an empty column name, a label column of one class
# or with no label in any row, rows past --memory (labels train in
# memory), more than 1000 classes (data, an id rather than a label), and
# --init of a model without a label.  A model without a label refuses the
# label options of the other programs.
. "$TOP/tests/setup"
. "$TOP/tests/gen-labels.sh"
labelled 30 > train.csv
run() { rc=0; "$@" > /dev/null || rc=$?; echo "exit $rc"; }
run vae-fit -q -k id --label kind -z 3,2 -e 1 -o bad.vae train.csv
run vae-fit -q -k id --label kind --ae -e 1 -o bad.vae train.csv
run vae-fit -q -k id --label '' -e 1 -o bad.vae train.csv
awk -F, -v OFS=, 'NR > 1 && $6 != "" { $6 = "cat" } { print }' train.csv > one.csv
run vae-fit -q -k id --label kind -e 1 -o bad.vae one.csv
awk -F, -v OFS=, 'NR > 1 { $6 = NR % 2 ? "" : "NA" } { print }' train.csv > none.csv
run vae-fit -q -k id --label kind -e 1 -o bad.vae none.csv
labelled 42000 > big.csv        # 1M holds some 40,000 rows of 4 floats
run vae-fit -q -k id --label kind --memory 1M -e 1 -o bad.vae big.csv
awk 'BEGIN { print "a,b,tag"; for (i = 1; i <= 1100; i++) print i % 7 "," i % 5 ",t" i }' > ids.csv
run vae-fit -q --label tag -e 1 -o bad.vae ids.csv
test ! -e bad.vae
cut -d, -f1-5 train.csv > plain.csv
vae-fit -q -k id -e 1 -j 1 -o plain.vae plain.csv
run vae-fit -q -k id --init plain.vae --label kind -e 1 -o bad.vae train.csv
test ! -e bad.vae
run vae-enc -m plain.vae -k id --predict plain.csv
run vae-enc -m plain.vae -k id --label kind train.csv
run vae-score -m plain.vae -k id --label kind train.csv
run vae-sample -m plain.vae --label cat
vae-enc -m plain.vae -k id plain.csv > codes.csv
run vae-dec -m plain.vae --label cat codes.csv
