#!/usr/bin/Rscript
# export.R: the tables of bench/impute.py and bench/anomaly.py, from the R
# packages that ship them (Debian: r-cran-mass, r-cran-mlbench), as CSV
# beside this script.
# Complete rows only (na.omit), factors as their labels, a header line,
# no row names.  Columns that name a row rather than describe it are
# dropped (see README).  Run from anywhere:
#
#     Rscript bench/data/export.R
#
# The output is deterministic: running it again rewrites the same bytes.
suppressPackageStartupMessages({
	library(MASS)
	library(mlbench)
})

args <- commandArgs(trailingOnly = FALSE)
me <- sub("^--file=", "", args[grep("^--file=", args)])
dir <- if (length(me)) dirname(normalizePath(me)) else "."

put <- function(d, name, drop = character(0)) {
	d <- na.omit(d[, setdiff(names(d), drop)])
	path <- file.path(dir, paste0(name, ".csv"))
	write.csv(d, path, row.names = FALSE)
	cat(sprintf("%s: %d rows, %d columns\n", path, nrow(d), ncol(d)))
}

data(Cars93, package = "MASS")
data(survey, package = "MASS")
data(BostonHousing, package = "mlbench")
data(HouseVotes84, package = "mlbench")

# Make and Model are unique per car (names); Manufacturer has 32 levels
# for the 82 complete rows, 9 of them seen once: a near-name, not a
# category anything could be imputed from.  Dropped before na.omit, which
# they do not affect (they have no missing values).
put(Cars93, "cars93", drop = c("Make", "Model", "Manufacturer"))
put(survey, "survey")
put(BostonHousing, "boston")
put(HouseVotes84, "votes")

# bench/anomaly.py's tables: labelled, complete as shipped; the class
# column (Class) is the last one and anomaly.py leaves it out of what the
# detectors see.
data(Vehicle, package = "mlbench")
data(Vowel, package = "mlbench")
data(Sonar, package = "mlbench")
data(DNA, package = "mlbench")
put(Vehicle, "vehicle")
put(Vowel, "vowel")
put(Sonar, "sonar")
put(DNA, "dna")
