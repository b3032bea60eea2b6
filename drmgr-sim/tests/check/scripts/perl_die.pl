#!/usr/bin/perl
# Defect: dies on a missing configuration file instead of answering DR_ERROR.
use strict;
use warnings;
my $cmd = shift // '';
if    ($cmd eq 'scriptinfo') { print qq{DR_VERSION=1\nDR_DATE=04122026\nDR_SCRIPTINFO="guard"\nDR_VENDOR="Acme"\n} }
elsif ($cmd eq 'register')   { print "DR_RESOURCE=cpu\n" }
elsif ($cmd eq 'usage')      { print qq{DR_USAGE="Acme keeps CPU 0"\n} }
elsif ($cmd eq 'checkrelease') {
    open(my $conf, '<', '/nonexistent/acme/guard.conf') or die "cannot read the configuration: $!";
}
elsif ($cmd =~ /release$|acquire$/) { }
else { exit 10 }
exit 0;
