# A missing model file: exit 66 (missing input), the name and the reason.
. "$TOP/tests/setup"
vae-info nosuch.vae || echo "vae-info: exit $?"
vae-enc -m nosuch.vae "$DATA/tiny.csv" || echo "vae-enc: exit $?"
vae-score -m nosuch.vae "$DATA/tiny.csv" || echo "vae-score: exit $?"
