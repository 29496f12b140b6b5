# A table as exported, text and numbers: each column's kind is detected
# from the training rows (text: cat, two values: binary, whole numbers:
# count, skewed positive numbers: positive, else real), vae-fit says which,
# and vae-info lists every column's kind and a category's levels.
. "$TOP/tests/setup"
awk -v seed=3 -v n=300 -f "$TOP/tests/gen-table.awk" > log.csv
vae-fit -e 2 -o m.vae log.csv 2>&1 | grep ' columns: '
vae-info m.vae | sed -n '/^missing cells/,/^7\t/p'
