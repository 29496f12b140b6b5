# -m - and vae-info - read the model from stdin, a pipe or a file, named
# <stdin> in messages; a row filter whose rows would come from stdin too
# refuses it with a usage error.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
vae-info m.vae | sed 1d > file.info
cat m.vae | vae-info - > pipe.info
head -1 pipe.info
sed 1d pipe.info | cmp - file.info && echo "vae-info -: same summary"
vae-info -m - < m.vae | sed 1d | cmp - file.info && echo "vae-info -m - < m.vae: same summary"
vae-score -m m.vae "$DATA/tiny.csv" > file.scores
cat m.vae | vae-score -m - "$DATA/tiny.csv" | cmp - file.scores && echo "vae-score -m - (pipe): same scores"
vae-score -m - "$DATA/tiny.csv" < m.vae | cmp - file.scores && echo "vae-score -m - < m.vae: same scores"
vae-enc -m m.vae "$DATA/tiny.csv" > z.csv
cat m.vae | vae-dec -m - z.csv > /dev/null && echo "vae-dec -m -: decoded"
cat m.vae | vae-sample -m - -n 2 > /dev/null && echo "vae-sample -m -: sampled"
vae-score -m - < m.vae || echo "exit $?"
vae-score -m - "$DATA/tiny.csv" - < m.vae || echo "exit $?"
vae-fit -q -e 1 --init - -o n.vae < m.vae || echo "exit $?"
cat m.vae | vae-fit -q -e 1 --init - -o n.vae "$DATA/tiny.csv" && echo "vae-fit --init -: fitted"
printf 'not a model' | vae-info - || echo "exit $?"
vae-score -m - "$DATA/tiny.csv" < /dev/null || echo "exit $?"
