#!/bin/sh
# A clean powerpc-utils hook: refuses nothing, writes its notes on stderr.
echo "hook: $DRC_TYPE $PHASE ${ACTION:-} ${DRC_COUNT:-}" >&2
exit 0
