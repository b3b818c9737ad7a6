#!/bin/bash
# The image's HEALTHCHECK: GET /health/ready on BERTH_PORT answers 200 (the database, the data
# root and the background flush are UP). No curl in the image: bash's /dev/tcp.
exec 3<>"/dev/tcp/127.0.0.1/${BERTH_PORT:-5000}" || exit 1
printf 'GET /health/ready HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
read -r -t 5 _ status _ <&3 || exit 1
[ "$status" = 200 ]
