#!/usr/bin/env python3
"""Checks X12 files against their implementation guide with pyx12 (pinned in
requirements-x12.txt), as an independent check of the 837P files claimwright writes.

usage: x12check.py FILE...
exit:  0 every file is free of errors; 1 some file has errors (each printed);
       2 pyx12 could not read some file (not X12, no map for its guide, or pyx12 failed).

pyx12's own `x12valid` command is not used: it exits non-zero for valid files too and
writes a 999 acknowledgement next to each input.
"""

import io
import json
import logging
import sys

try:
    import pyx12
    import pyx12.params
    import pyx12.x12n_document
except ImportError:
    print("pyx12 is not installed: pip install -r requirements-x12.txt", file=sys.stderr)
    sys.exit(2)


class Collect(logging.Handler):
    """Keeps pyx12's log messages, which say why a file could not be read."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def errors_in(node, where=()):
    """Every error of pyx12's JSON report, with the segment and element it was found in."""
    if isinstance(node, list):
        for item in node:
            yield from errors_in(item, where)
        return
    if not isinstance(node, dict):
        return
    here = where
    if node.get("seg_id"):
        here = where + (f"{node['seg_id']} (line {node.get('cur_line', '?')})",)
    elif node.get("ele_pos") is not None:
        here = where + (f"element {node['ele_pos']}",)
    for error in node.get("errors", []):
        yield " / ".join(here) or "file", error.get("err_cde"), error.get("err_str")
    for key, value in node.items():
        if key != "errors" and isinstance(value, (list, dict)):
            yield from errors_in(value, here)


def check(path, log):
    """0, 1 or 2 for one file, with its report printed."""
    with open(path, "rb") as f:
        if f.read(3) == b"\xef\xbb\xbf":
            print(f"ERROR {path}: starts with a byte order mark, which X12 does not allow")
            return 1
    log.messages.clear()
    report = io.StringIO()
    try:
        valid = pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(),
            src_file=path,
            fd_997=None,
            fd_html=None,
            fd_json=report,
        )
    except Exception as e:  # pyx12 raises on some malformed files and unknown guides
        print(f"UNREADABLE {path}: {type(e).__name__}: {e}")
        return 2
    if not report.getvalue():
        # pyx12 stops before its report when the file is not X12 at all.
        print(f"UNREADABLE {path}: {'; '.join(log.messages) or 'pyx12 wrote no report'}")
        return 2
    found = list(errors_in(json.loads(report.getvalue())))
    if valid and not found:
        print(f"OK {path}")
        return 0
    print(f"ERROR {path}: {len(found) or 'unnamed'} error(s)")
    for where, code, text in found:
        print(f"  [{code}] {where}: {text}")
    if not found:  # the log then says what pyx12 objected to
        for message in log.messages:
            print(f"  {message}")
    return 1


def main(paths):
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    log = Collect()
    logger = logging.getLogger("pyx12")
    logger.addHandler(log)
    logger.propagate = False
    print(f"pyx12 {pyx12.__version__}", file=sys.stderr)
    return max(check(path, log) for path in paths)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
