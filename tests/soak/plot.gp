# SPDX-License-Identifier: MIT
# tests/soak/run's plot: RSS and open descriptors of each daemon over time.
#   gnuplot -e "csv='samples.csv'; png='soak.png'; title='...'" plot.gp
set terminal pngcairo size 1200,800 noenhanced
set output png
set datafile separator ","
set key outside right top
set grid
set multiplot layout 2,1 title title
set ylabel "RSS (MiB)"
set xlabel "minutes"
plot csv using ($1/60):($3/1024) skip 1 with lines lw 2 title "pxe-dhcpd", \
     csv using ($1/60):($6/1024) skip 1 with lines lw 2 title "pxe-tftpd", \
     csv using ($1/60):($9/1024) skip 1 with lines lw 2 title "pxe-httpd"
set ylabel "open descriptors"
plot csv using ($1/60):4 skip 1 with lines lw 2 title "pxe-dhcpd", \
     csv using ($1/60):7 skip 1 with lines lw 2 title "pxe-tftpd", \
     csv using ($1/60):10 skip 1 with lines lw 2 title "pxe-httpd"
unset multiplot
