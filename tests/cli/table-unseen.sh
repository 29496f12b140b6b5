# A value of a category not seen in training is an error naming the column
# and the value (vae-enc), unless the model reserved an "other" level
# (--unseen other); vae-score gives its row an infinite score instead: a
# value the model gives probability 0 is the most anomalous there is.
. "$TOP/tests/setup"
awk -v seed=3 -v n=200 -f "$TOP/tests/gen-table.awk" > log.csv
printf 'method,status,kind,bytes,ms,bot,load\nDELETE,200,page,100,10.5,no,0.4\n' > new.csv
vae-fit -q -e 1 -o m.vae log.csv
vae-enc -m m.vae new.csv || echo "exit $?"
vae-score -m m.vae new.csv
vae-fit -q -e 1 --unseen other -o other.vae log.csv
vae-score -m other.vae new.csv | awk 'NR > 1 { print ($1 > 0 ? "scored" : "no score") }'
vae-info other.vae | awk -F '\t' 'NF == 3 && $1 == 1 { print $3 }'
