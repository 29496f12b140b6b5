# gen-table.awk: a small request log with every column kind, from a seed.
#   awk -v seed=1 -v n=400 [-v holes=0.05] [-v odd=0] -f tests/gen-table.awk
# Columns: method (cat), status (cat, numbers), kind (cat), bytes (count),
# ms (positive), bot (binary, yes/no), load (real).  holes: the share of
# cells left empty (never all of a row).  odd: the share of rows made
# impossible (a POST to a static file with megabytes and a 500), marked by
# a last column "odd" (1 or 0) when odd is given.
function pick(p,    u, i) {         # an index from cumulative chances p[1..]
	u = rand()
	for (i = 1; u > p[i]; i++)
		;
	return i
}
function normal() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307 * rand()) }
BEGIN {
	srand(seed)
	OFS = ","
	split("page static api login", kinds, " ")
	printf "method,status,kind,bytes,ms,bot,load%s\n", odd != "" ? ",odd" : ""
	for (r = 1; r <= n; r++) {
		k = int(rand() * 4) + 1
		kind = kinds[k]
		bot = rand() < (kind == "static" ? 0.4 : 0.1) ? "yes" : "no"
		method = kind == "login" ? (rand() < 0.9 ? "POST" : "GET") \
		       : kind == "api" ? (rand() < 0.6 ? "GET" : "POST") : "GET"
		status = rand() < 0.85 ? 200 : kind == "static" ? 304 : 404
		bytes = status == 304 ? 0 : kind == "static" ? int(20000 * exp(0.5 * normal())) \
		      : kind == "api" ? int(800 * exp(0.3 * normal())) : int(5000 * exp(0.4 * normal()))
		ms = (kind == "api" ? 40 : kind == "login" ? 120 : 15) * exp(0.3 * normal())
		load = 0.5 + 0.1 * normal() + (bot == "yes" ? 0.3 : 0)
		bad = odd != "" && rand() < odd
		if (bad) {
			method = "POST"; kind = "static"; status = 500
			bytes = int(3000000 * exp(0.2 * normal())); ms = 4000 * exp(0.2 * normal())
		}
		split(method "," status "," kind "," bytes "," sprintf("%.2f", ms) "," bot "," \
		      sprintf("%.3f", load), f, ",")
		for (j = 1; j <= 7 && holes != ""; j++)
			if (rand() < holes && j != r % 7 + 1)      # one cell a row always stays
				f[j] = ""
		line = f[1]
		for (j = 2; j <= 7; j++)
			line = line "," f[j]
		print line (odd != "" ? "," bad : "")
	}
}
