#!/bin/sh
# Hostile: binary garbage and terminal controls instead of a reply.
case $1 in
scriptinfo) printf 'DR_VERSION=1\033[2J\n\001\002\377\376=\n'; head -c 65536 /dev/urandom; printf '\nDR_ERROR=\033]0;owned\007\n' ;;
esac
