#!/bin/sh
# Hostile: 20 MB of output lines on stdout and stderr in scriptinfo.
case $1 in
scriptinfo) yes 'flooding the host with one line after another' | head -c 20000000; yes 'and stderr' | head -c 20000000 >&2 ;;
esac
