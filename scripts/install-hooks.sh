#!/usr/bin/env bash
# Installs the project's Git hooks in this clone: a pre-commit hook that runs
# `swift format lint --strict` on the staged Swift files (scripts/pre-commit).
#
#   scripts/install-hooks.sh              install (or update) the hook
#   scripts/install-hooks.sh --uninstall  remove it (restoring a hook it had set aside)
#
# The installed hook is a two-line stub that calls scripts/pre-commit from the working tree, so
# changes to the committed script take effect without reinstalling. A different pre-commit hook
# already there is kept as pre-commit.local and still run first. Honours core.hooksPath.
set -euo pipefail
cd "$(dirname "$0")/.."
git rev-parse --git-dir >/dev/null 2>&1 || { echo "install-hooks: not inside a Git clone" >&2; exit 1; }

hooks_dir=$(git rev-parse --git-path hooks)
hook="$hooks_dir/pre-commit"
marker="# promptsmith pre-commit hook (scripts/install-hooks.sh)"

if [[ "${1:-}" == "--uninstall" ]]; then
  if [[ -f "$hook" ]] && grep -qF "$marker" "$hook"; then
    rm -f "$hook"
    [[ -f "$hook.local" ]] && mv "$hook.local" "$hook"
    echo "install-hooks: removed $hook"
  else
    echo "install-hooks: no Promptsmith pre-commit hook in $hooks_dir"
  fi
  exit 0
fi

mkdir -p "$hooks_dir"
hooks_dir=$(cd "$hooks_dir" && pwd)
hook="$hooks_dir/pre-commit"
if [[ -f "$hook" ]] && ! grep -qF "$marker" "$hook"; then
  mv "$hook" "$hook.local"
  echo "install-hooks: kept the existing pre-commit hook as $hook.local (it still runs first)"
fi
cat >"$hook" <<HOOK
#!/bin/sh
$marker
if [ -x "$hook.local" ]; then
  "$hook.local" "\$@" || exit 1
fi
exec "\$(git rev-parse --show-toplevel)/scripts/pre-commit" "\$@"
HOOK
chmod +x "$hook"
echo "install-hooks: installed $hook → scripts/pre-commit (swift format lint --strict on staged Swift files)"
