# Empty cells: an error that names --missing mask, unless it is given; with
# it, training and scoring leave the missing cells out, a model so trained
# makes mask the default, and a row with every model cell missing is an
# error.
. "$TOP/tests/setup"
awk -v seed=3 -v n=300 -v holes=0.1 -f "$TOP/tests/gen-table.awk" > log.csv
vae-fit -q -e 1 -o m.vae log.csv || echo "exit $?"
vae-fit -q -e 2 --missing mask -o m.vae log.csv
vae-info m.vae | grep '^missing cells'
vae-score -m m.vae log.csv | awk 'NR > 1 && $1 == $1 + 0 { n++ } END { print n " scores" }'
printf 'method,status,kind,bytes,ms,bot,load\nGET,,,,,,\n,,,,,,\n' > empty.csv
vae-score -m m.vae empty.csv > /dev/null || echo "exit $?"
