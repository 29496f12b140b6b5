# An empty model file is refused as empty.
. "$TOP/tests/setup"
: > empty.vae
vae-info empty.vae || echo "vae-info: exit $?"
vae-enc -m empty.vae "$DATA/tiny.csv" || echo "vae-enc: exit $?"
vae-sample -m empty.vae || echo "vae-sample: exit $?"
