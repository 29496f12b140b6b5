# A loss that is no longer finite stops training with a clear error, exit
# 65, and no model is written.
. "$TOP/tests/setup"
printf 'a,b\n1e30,2\n-1e30,3\n1e30,1\n' > huge.csv
vae-fit -q -e 3 -l gaussian --scale none -o m.vae huge.csv || echo "exit $?"
ls
