#!/usr/bin/perl
# Defect: register names no resource (a typo in the key).
use strict;
use warnings;
my $cmd = shift // '';
if    ($cmd eq 'scriptinfo') { print qq{DR_VERSION=1\nDR_DATE=04122026\nDR_SCRIPTINFO="guard"\nDR_VENDOR="Acme"\n} }
elsif ($cmd eq 'register')   { print "DR_RESOURCES=cpu\n" }
elsif ($cmd eq 'usage')      { print qq{DR_USAGE="Acme keeps CPU 0"\n} }
elsif ($cmd =~ /release$|acquire$/) { }
else { exit 10 }
exit 0;
