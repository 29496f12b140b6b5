# Empty cells: vae-fit masks them when the training rows have any, and
# says how many; --missing error refuses them, naming the options; a
# masked model makes mask the filters' default, they leave the missing
# cells out, and a row with every model cell missing is an error.
. "$TOP/tests/setup"
awk -v seed=3 -v n=300 -v holes=0.1 -f "$TOP/tests/gen-table.awk" > log.csv
awk -v seed=3 -v n=300 -f "$TOP/tests/gen-table.awk" > whole.csv
vae-fit -q -e 1 --missing error -o m.vae log.csv || echo "exit $?"
vae-fit -e 2 -o m.vae log.csv 2>&1 | grep 'missing cell'
vae-info m.vae | grep '^missing cells'
vae-fit -q -e 2 -o whole.vae whole.csv
vae-info whole.vae | grep '^missing cells'
vae-score -m m.vae log.csv | awk 'NR > 1 && $1 == $1 + 0 { n++ } END { print n " scores" }'
printf 'method,status,kind,bytes,ms,bot,load\nGET,,,,,,\n,,,,,,\n' > empty.csv
vae-score -m m.vae empty.csv > /dev/null || echo "exit $?"
