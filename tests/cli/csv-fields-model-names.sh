# With a header and a model with named columns, -f picks fields by name in
# the model's order whatever their order in the file; a field -f selects
# that the model lacks, or a model column -f leaves out, is an error.
. "$TOP/tests/setup"
printf 'a,b\n1,5\n2,6\n3,7\n' > ab.csv
vae-fit -q -e 5 -j 1 -o ab.vae ab.csv
printf 'a,b\n1,5\n' | vae-score -m ab.vae > want
printf 'b,a\n5,1\n' | vae-score -m ab.vae > got-plain
printf 'b,a\n5,1\n' | vae-score -m ab.vae -f a,b > got-f
printf 'b,x,a\n5,9,1\n' | vae-score -m ab.vae -f 1,3 > got-numbers
cmp want got-plain
cmp want got-f
cmp want got-numbers
printf 'b,a,c\n5,1,0\n' | vae-score -m ab.vae -f a,c || echo "exit $?"
printf 'b,a,c\n5,1,0\n' | vae-score -m ab.vae -f - || echo "exit $?"
