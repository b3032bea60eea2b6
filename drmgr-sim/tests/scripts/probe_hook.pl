#!/usr/bin/perl
# A powerpc-utils hook for drmgr-sim's `linux` tests that reports how it was
# started, for comparison with what powerpc-utils' own drmgr gives a hook. It is
# perl, not sh: dash and ksh clear their signal mask at start-up (bash does
# not), so a shell hook may not show the mask it was started with. It writes nothing on its
# standard descriptors (they may be the test's own) and appends one line per run
# to `seen` in the hooks directory (two levels above itself):
#   PHASE blocked=<SigBlk> same_group=<0|1> fd0=<target> fd1=… fd2=… cwd=<dir> args=<n> env=<K=V,…>
use strict;
use warnings;
(my $root = $0) =~ s{/[^/]+/[^/]+$}{};
open(my $status, '<', '/proc/self/status') or die;
my ($blocked) = map { /^SigBlk:\s*(\S+)/ ? $1 : () } <$status>;
open(my $stat, '<', '/proc/' . getppid() . '/stat') or die;
(my $fields = <$stat>) =~ s/.*\) //;
my $parent_group = (split ' ', $fields)[2];
my @fds = map { 'fd' . $_ . '=' . (readlink("/proc/self/fd/$_") // 'closed') } 0 .. 2;
my $env = join ',', map { "$_=$ENV{$_}" } sort keys %ENV;
open(my $out, '>>', "$root/seen") or die;
printf $out "%s blocked=%s same_group=%d %s cwd=%s args=%d env=%s\n", $ENV{PHASE} // '-', $blocked,
    getpgrp() == $parent_group ? 1 : 0, "@fds", readlink('/proc/self/cwd'), scalar @ARGV, $env;
