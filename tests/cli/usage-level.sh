# --level 2 asks a model of one latent level for a level it does not
# have: a usage error naming the model, exit 64, as is a level that no
# model has, and -z with more than two sizes or with --ae.
. "$TOP/tests/setup"
awk -v n=100 -v seed=2 -f "$TOP/tests/gen-manifold.awk" > rows.csv
vae-fit -q -z 2 -e 2 -j 1 -o one.vae rows.csv
run() { rc=0; "$@" < /dev/null > /dev/null || rc=$?; echo "exit $rc"; }
run vae-enc -m one.vae --level 2 rows.csv
run vae-enc -m one.vae --level 1 rows.csv
run vae-enc -m one.vae --level 3 rows.csv
vae-enc -m one.vae rows.csv > z.csv
run vae-dec -m one.vae --level 2 z.csv
run vae-fit -q -z 3,2,1 -o bad.vae rows.csv
run vae-fit -q -z 3,2 --ae -o bad.vae rows.csv
test ! -e bad.vae
