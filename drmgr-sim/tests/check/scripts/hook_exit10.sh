#!/bin/sh
# Defect: AIX's "not supported" answer for the phases it does not handle.
case "$DRC_TYPE/$PHASE" in
cpu/pre|cpu/post) exit 0 ;;
*) exit 10 ;;
esac
