#!/usr/bin/env bash
# Starts the directory exactly as the README tells a newcomer to: `npm start`, in a clean shell
# (no ORIGIN, HOST, PORT, DATABASE_URL or anything else), in a checkout of its own so that it makes
# its own new ./data. Before that, an admin account, as the README says for an existing database.
set -euo pipefail
dir="$1"
bash "$(dirname "$0")/checkout.sh" "$dir"
cd "$dir"
newcomer=(env -i "PATH=$PATH" "HOME=$HOME")
printf '%s\n' "$README_ADMIN_PASSWORD" |
	"${newcomer[@]}" npm run --silent admin:create -- --email "$README_ADMIN_EMAIL"
exec "${newcomer[@]}" npm start
