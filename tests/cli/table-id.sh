# A text column with a value in nearly every row (an id, a name) would be a
# category of a level per row: vae-fit says so and how to keep it out.
. "$TOP/tests/setup"
. "$TOP/tests/gen-customers.sh"
table 100 3 > t.csv
vae-fit -e 1 -o m.vae t.csv 2>&1 | grep 'an id'
vae-fit -e 1 -k id -o m.vae t.csv 2>&1 | grep -c 'an id' || true
