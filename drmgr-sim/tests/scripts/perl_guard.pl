#!/usr/bin/perl
# A DLPAR script in Perl: checkrelease cpu refuses bind CPUs 0 and 1.
use strict;
use warnings;

my ($command, $resource) = @ARGV;
$command = '' unless defined $command;
if ($command eq 'scriptinfo') {
    print "DR_VERSION=2\nDR_DATE=22112026\nDR_SCRIPTINFO=\"Perl guard for processors\"\nDR_VENDOR=\"Tests\"\nDR_TIMEOUT=5\n";
} elsif ($command eq 'register') {
    print "DR_RESOURCE=cpu\n";
} elsif ($command eq 'usage') {
    print "DR_USAGE=\"keeps bind CPUs 0 and 1\"\n";
} elsif ($command eq 'checkrelease') {
    my $bcpuid = $ENV{DR_BCPUID};
    if (!defined $bcpuid || $bcpuid !~ /^\d+$/) {
        print "DR_ERROR=\"DR_BCPUID is missing or not a number\"\n";
        exit 1;
    }
    if ($bcpuid < 2) {
        print "DR_ERROR=\"bind CPU $bcpuid stays with the guard\"\n";
        exit 1;
    }
    print "DR_LOG_INFO=\"bind CPU $bcpuid may go\"\n";
} elsif ($command !~ /^(pre|post|undopre)release$/ && $command !~ /acquire$/) {
    print "DR_ERROR=\"perl_guard does not support $command\"\n";
    exit 10;
}
exit 0;
