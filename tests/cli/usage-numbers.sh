# Numbers are checked whole and in range: "1O" (letter O), 0 epochs and a
# word are usage errors (64), one line naming the option, pointing to --help.
. "$TOP/tests/setup"
vae-sample -m m.vae -n 1O || echo "-n 1O: exit $?"
vae-fit -e 0 "$DATA/tiny.csv" || echo "-e 0: exit $?"
vae-fit -z abc "$DATA/tiny.csv" || echo "-z abc: exit $?"
vae-enc -m m.vae -p 0 "$DATA/tiny.csv" || echo "-p 0: exit $?"
vae-enc -m m.vae -s -1 "$DATA/tiny.csv" || echo "-s -1: exit $?"
vae-fit --lr x "$DATA/tiny.csv" || echo "--lr x: exit $?"
