#!/usr/bin/perl
# sysadmin_memwatch - keep enough free memory for the database buffer pool.
#
# Installed with:  drmgr -i /usr/local/dr/sysadmin_memwatch.pl
# Refuses a memory removal that would leave less than $MIN_FREE_MB free,
# and logs additions so the DBA knows to grow the pool.
use strict;
use warnings;

my $MIN_FREE_MB = 512;
my $FRAME_KB    = 4;    # DR_*_FRAMES count 4 KB frames

sub reply { print map { "$_\n" } @_ }
sub fail  { reply(qq{DR_ERROR="$_[0]"}); exit 1 }

# A hexadecimal frame count, 0x optional; undef when absent or malformed.
sub frames {
    my $value = $ENV{ $_[0] };
    return undef unless defined $value && $value =~ /^\s*(?:0[xX])?([0-9a-fA-F]{1,16})\s*$/;
    no warnings 'portable';    # frame counts are 64-bit
    return hex $1;
}

my $command = shift @ARGV // '';
my $detail  = ($ENV{DR_DETAIL_LEVEL} // '0') =~ /^(\d+)$/ ? $1 : 0;

if ($command eq 'scriptinfo') {
    reply('DR_VERSION=1', 'DR_DATE=04122026',
          'DR_SCRIPTINFO="Database buffer pool free memory guard"', 'DR_VENDOR="sysadmin"', 'DR_TIMEOUT=10');
}
elsif ($command eq 'register') {
    reply('DR_RESOURCE=mem');
}
elsif ($command eq 'usage') {
    reply(qq{DR_USAGE="The database buffer pool needs $MIN_FREE_MB MB free"});
}
elsif ($command eq 'checkrelease') {
    my $free    = frames('DR_FREE_FRAMES');
    my $request = ($ENV{DR_MEM_SIZE_REQUEST} // '') =~ /^\s*(\d{1,20})\s*$/ ? $1 : undef;
    fail('DR_FREE_FRAMES or DR_MEM_SIZE_REQUEST is missing or malformed') unless defined $free && defined $request;
    my $free_mb = $free * $FRAME_KB / 1024;
    if ($free_mb - $request < $MIN_FREE_MB) {
        fail(sprintf 'removing %s MB leaves less than %d MB free', $request, $MIN_FREE_MB);
    }
    reply(sprintf 'DR_LOG_INFO="%.0f MB free before the removal"', $free_mb) if $detail >= 2;
}
elsif ($command eq 'postacquire') {
    reply('DR_LOG_INFO="memory added: grow the buffer pool"');
}
elsif ($command =~ /^(?:pre|post|undopre)release$|^(?:check|pre|undopre)acquire$/) {
    # nothing to prepare or undo
}
else {
    exit 10;    # a command this script does not know
}
exit 0;
