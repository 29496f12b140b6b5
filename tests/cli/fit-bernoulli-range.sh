# A bernoulli fit on values outside [0, 1] is refused naming the column as
# the user knows it: its header name, or without a header its field number
# in the input (not its place among the model columns).
. "$TOP/tests/setup"
printf 'id,cpu,mem\n1,0.5,0.25\n2,3,0.5\n3,0.25,1\n' > named.csv
sed 1d named.csv > nameless.csv
vae-fit -q -e 1 -l bernoulli --scale none -k id -o m.vae named.csv || echo "exit $?"
vae-fit -q -e 1 -l bernoulli --scale none -k 1 -o m.vae nameless.csv || echo "exit $?"
test ! -e m.vae && echo "no model"
vae-fit -q -e 1 -l bernoulli --scale none -f 3 -o m.vae nameless.csv && echo "field 3 alone: fitted"
