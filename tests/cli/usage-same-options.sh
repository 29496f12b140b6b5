# A script may give every program the same -q and -s: each takes them,
# where they change nothing (vae-info draws nothing, vae-sample and
# vae-info print nothing on stderr but errors) as where they do.
. "$TOP/tests/setup"
vae-fit -q -s 7 -e 1 -o m.vae "$DATA/tiny.csv" && echo "vae-fit: ok"
vae-enc -q -s 7 -m m.vae "$DATA/tiny.csv" > z.csv && echo "vae-enc: ok"
vae-dec -q -s 7 -m m.vae z.csv > /dev/null && echo "vae-dec: ok"
vae-score -q -s 7 -m m.vae "$DATA/tiny.csv" > /dev/null && echo "vae-score: ok"
vae-sample -q -s 7 -m m.vae -n 3 > /dev/null && echo "vae-sample: ok"
vae-info -q -s 7 m.vae > /dev/null && echo "vae-info: ok"
vae-info --quiet --seed 7 m.vae > /dev/null && echo "vae-info --quiet --seed: ok"
