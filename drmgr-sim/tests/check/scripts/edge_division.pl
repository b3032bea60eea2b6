#!/usr/bin/perl
# Defect: divides by the bind CPU id, which is 0 for the first processor.
use strict;
use warnings;
my $cmd = shift // '';
if    ($cmd eq 'scriptinfo') { print qq{DR_VERSION=1\nDR_DATE=04122026\nDR_SCRIPTINFO="guard"\nDR_VENDOR="Acme"\n} }
elsif ($cmd eq 'register')   { print "DR_RESOURCE=cpu\n" }
elsif ($cmd eq 'usage')      { print qq{DR_USAGE="Acme spreads threads over the processors"\n} }
elsif ($cmd eq 'prerelease') { my $per = int(64 / $ENV{DR_BCPUID}); print qq{DR_LOG_DEBUG="$per threads each"\n} }
elsif ($cmd =~ /release$|acquire$/) { }
else { exit 10 }
exit 0;
