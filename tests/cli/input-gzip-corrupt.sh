# gzip data whose CRC-32 does not match is corrupt: bad data, exit 65, with
# zlib's reason.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,2,3\n4,5,6\n' | gzip -nc > full.gz
n=$(wc -c < full.gz)
{ head -c $((n - 8)) full.gz; printf '\377\377\377\377'; tail -c 4 full.gz; } > crc.csv.gz
vae-score -m m.vae crc.csv.gz > /dev/null
