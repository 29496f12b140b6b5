# A field holding a NUL byte is quoted in the message with the NUL shown
# (\x00), not cut at it; such a field is no missing value, "NA\0" is not NA.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,a\0b,3\n' > nul.csv
printf 'a,b,c\n1,NA\0x,3\n' > na.csv
printf 'a,b,c\n1,\0011\n' > ctrl.csv
vae-score -m m.vae nul.csv > /dev/null || echo "exit $?"
vae-score -m m.vae --missing skip na.csv > /dev/null || echo "exit $?"
vae-score -m m.vae ctrl.csv > /dev/null || echo "exit $?"
