# png.gp: the terminal of the examples' gnuplot pictures, loaded by each
# after it sets W and H, the size in pixels.  libgd's png (in every Debian
# gnuplot) writes an 8-bit palette: the 10000 points of fashion.sh's latent
# plot take 17 KB, where pngcairo's anti-aliased RGB takes 85 KB.  And it
# draws an image plot pixel for pixel (fashion.sh's strip), where pngcairo
# smooths it.
set terminal png size W, H noenhanced
