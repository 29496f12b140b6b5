# A new model file and a new -o file get mode 0666 less the umask, as any
# file open(2) creates; an existing one is replaced by a new file of that
# mode.  (The temporary is made with O_EXCL and mode 0666, so the library
# never touches the process's umask to learn it.)
. "$TOP/tests/setup"
for mask in 022 077 027 000; do
	(
		umask $mask
		vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
		vae-score -m m.vae -o s.csv "$DATA/tiny.csv"
		echo "umask $mask: $(stat -c %a m.vae) $(stat -c %a s.csv)"
	)
	rm -f m.vae s.csv
done
echo "left behind: $(ls | tr '\n' ' ')"
