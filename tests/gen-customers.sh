# gen-customers.sh: sourced by the vae-impute tests: a table of customers
# with every column kind, and holes punched in it.
# table N SEED: N rows of examples/customers.sh's customers, no cell empty:
# an id, an age (a count by --types; whole numbers without a 0 are
# detected real), a cat (plan), a count (visits), a positive (spend), a
# binary (churned) and a real (score).
table() {
	sh "$TOP/examples/customers.sh" "$1" "$2" full
}
# holes: in every third row, one cell of columns 2 to 7 in turn is missing,
# in each spelling in turn.
holes() {
	awk -F, -v OFS=, 'BEGIN { n = split(",NA,?,NaN,N/A,null", na, ",") }
		NR > 1 && NR % 3 == 0 { k = NR / 3; $(2 + k % 6) = na[1 + k % n] } { print }'
}
