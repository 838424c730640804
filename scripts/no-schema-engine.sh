#!/bin/sh
echo "Weerbaar applies migrations offline: use npm run db:deploy / db:migrate / db:status" >&2
exit 1
