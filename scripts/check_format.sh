#!/usr/bin/env bash
# Fails, naming the files, when a C++ file is not formatted as .clang-format says.
# Fix with: git ls-files '*.cc' '*.h' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cc' '*.h')
else
  mapfile -t files < <(find apps bench libs services tests -name '*.cc' -o -name '*.h' |
                       grep -v node_modules)
fi
bad=()
for f in "${files[@]}"; do
  [[ -f $f ]] || continue
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
done
if [[ ${#bad[@]} -gt 0 ]]; then
  echo "not formatted (clang-format -i FILE): ${bad[*]}" >&2
  exit 1
fi
echo "format: ${#files[@]} C++ files formatted"
