# The row before a bad one keeps its own kept fields: none of the bad row's
# fields (already copied when the error is seen) leak into it.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
printf 'id,a,b,c\nfirst,1,2,3\nsecond,4,5,6\nbad,n/a,2,3\n' > bad.csv
printf 'id,a,b,c,note\nfirst,1,2,3,x\nbad,4,5,6\n' > ragged.csv
vae-score -m m.vae -k id bad.csv | sed 's/,[^,"]*$//' | od -An -c | tr -s ' ' || :
vae-score -m m.vae -k id,note ragged.csv | sed 's/,[^,"]*$//' | od -An -c | tr -s ' ' || :
