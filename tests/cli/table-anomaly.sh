# Impossible combinations planted among ordinary requests (a POST to a
# static file returning megabytes with a 500), some in the training rows
# too: they score highest, and --explain names a column of theirs.
. "$TOP/tests/setup"
awk -v seed=5 -v n=2000 -v odd=0.005 -f "$TOP/tests/gen-table.awk" | cut -d , -f 1-7 > train.csv
awk -v seed=6 -v n=500 -v odd=0.02 -f "$TOP/tests/gen-table.awk" > test.csv
vae-fit -q -e 30 -o m.vae train.csv
vae-score -m m.vae -k odd test.csv | tail -n +2 > scored
auc=$(awk -f "$TOP/tests/auc.awk" scored)
awk -v a="$auc" 'BEGIN { print (a >= 0.95 ? "planted rows: AUC at least 0.95" : "AUC " a) }'
vae-score -m m.vae -k odd --explain 1 test.csv | awk -F , '$1 == 1 { print $3 }' > why
awk '/^(method=POST|status=500|kind=static|bytes|ms):/ { n++ } END { print (n >= NR - 1 ? "explained" : "not explained") }' why
