# --types sets a column's kind by name or field number; a kind its values
# cannot take is an error naming the column and the value; -l makes every
# column of numbers real.
. "$TOP/tests/setup"
awk -v seed=3 -v n=200 -f "$TOP/tests/gen-table.awk" > log.csv
vae-fit -q -e 1 --types status:count,4:real -o m.vae log.csv
vae-info m.vae | awk -F '\t' 'NF == 3 && ($1 == 2 || $1 == 4) { print $1, $2 }'
vae-fit -q -e 1 -l gaussian -o m.vae log.csv
vae-info m.vae | awk -F '\t' 'NF == 3 && $1 ~ /^[0-9]+$/ { print $1, $2 }' | tr '\n' ' '
echo
vae-fit -q -e 1 --types method:count -o m.vae log.csv || echo "exit $?"
vae-fit -q -e 1 --types bot:binary,nosuch:cat -o m.vae log.csv || echo "exit $?"
vae-fit -q -e 1 --types bot:colour -o m.vae log.csv || echo "exit $?"
