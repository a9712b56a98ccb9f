#!/usr/bin/env bash
# Makes FOLDER a checkout of this project for a server run: links to the sources and the installed
# packages, a copy of the build (so that a rebuild there never rewrites this one's under a running
# server), and nothing else — so `npm start` there creates its own new ./data.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$1"
rm -rf "$dir"
mkdir -p "$dir"
for item in README.md package.json package-lock.json scripts src static drizzle svelte.config.js \
	vite.config.ts tsconfig.json node_modules; do
	ln -s "$root/$item" "$dir/$item"
done
cp -R "$root/build" "$dir/build"
