# A shared option that does not apply to a program is refused, not ignored.
. "$TOP/tests/setup"
vae-info -j 2 m.vae || echo "exit $?"
vae-fit -O npy x.csv || echo "exit $?"
vae-sample -m m.vae -k 1 || echo "exit $?"
vae-info -u m.vae || echo "exit $?"
