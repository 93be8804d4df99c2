#!/usr/bin/env python3
"""layers.py - check the one-way layers of the source tree (issue 21).

Reads the #include "..." lines of every .c and .h under the layer folders
of ROOT (default: the current directory) and reports, one line each:

  up FILE:LINE: includes HEADER  an include from a lower layer into a
                                  higher one (or sideways where that is
                                  not allowed, see SIDEWAYS)
  cycle A -> B -> ... -> A        a file-level cycle: a module (NAME.c with
                                  NAME.h) reaches itself through includes
  long FILE: N lines              a file over MAX_LINES lines
  func FILE:LINE: NAME is N lines a command function over MAX_FUNC lines
                                  (every function of cli/, and the
                                  *_exec functions anywhere), counted
                                  from the source: the lines between the
                                  "{" and "}" that open and close it in
                                  column 0 (the tree's style)
  call OBJ: uses SYMBOL of OBJ2   with --objects BUILD: an object file of a
                                  lower layer that uses a function or
                                  variable defined in a higher one (an
                                  extern declared by hand, which no
                                  #include shows), read with nm
  call cycle A -> B -> ... -> A   with --objects BUILD: object files that
                                  reach themselves through the functions
                                  they call of each other (a file-level
                                  call cycle; a table naming its entries'
                                  data is no call)

Layers, lowest first: common, output, importers = analyzers, reports, cli
(docs/ARCHITECTURE.md).  Exit status 0 when nothing is found, 1 otherwise.

Known exceptions are listed below, each with why; --known prints them and
whether each still holds, so a list entry is dropped once it is fixed.
"""
import os
import re
import sys

RANK = {"common": 0, "output": 1, "importers": 2, "analyzers": 2, "reports": 3, "cli": 4}
# includes allowed between folders of the same rank: analyzers read the
# imported price lists' parser (importers/prices.h); importers never reach
# into analyzers
SIDEWAYS = {("analyzers", "importers")}
MAX_LINES = 800
MAX_FUNC = 100
# folders whose file sizes are checked ("no file over ~800 lines")
SIZED = {"common", "output", "importers", "analyzers", "reports", "cli"}

# Known exceptions, each "kind key": why.
KNOWN = {}

INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
DEF = re.compile(r'^([A-Za-z_]\w*)\(')


def functions(lines):
    """(name, line of the name, body lines) of each function defined in
    the style of the tree: the name at the start of a line, the body
    between a "{" and a "}" at the start of lines."""
    name, at, start = None, 0, None
    for no, line in enumerate(lines, 1):
        m = DEF.match(line)
        if m and start is None:
            name, at = m.group(1), no
        elif line.startswith("{") and name is not None and start is None:
            start = no
        elif line.startswith("}") and start is not None:
            yield name, at, no - start - 1
            name, start = None, None


def sources(root):
    for top in sorted(RANK):
        d = os.path.join(root, top)
        if not os.path.isdir(d):
            continue
        for dirpath, dirnames, files in os.walk(d):
            dirnames.sort()
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(dirpath, f), root)


def module(path):
    """importers/import.c and importers/import.h are one module, and so is
    a module's private header (common/engine-int.h is common/engine)."""
    m = os.path.splitext(path)[0]
    return m[:-4] if path.endswith("-int.h") else m


def layer(path):
    return path.split("/", 1)[0]


def check(root):
    found = []  # (key, text)
    edges = {}
    for src in sources(root):
        with open(os.path.join(root, src), encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        n = len(lines) - (1 if lines and lines[-1] == "" else 0)
        if layer(src) in SIZED and src.endswith(".c") and n > MAX_LINES:
            found.append(("long " + src, "long %s: %d lines" % (src, n)))
        if src.endswith(".c"):
            for name, at, body in functions(lines):
                if body > MAX_FUNC and (layer(src) == "cli" or name.endswith("_exec")):
                    found.append(("func %s %s" % (src, name),
                                  "func %s:%d: %s is %d lines" % (src, at, name, body)))
        for no, line in enumerate(lines, 1):
            m = INC.match(line)
            if not m:
                continue
            inc = m.group(1)
            to = layer(inc)
            if to not in RANK:
                continue	# a header of the build (generated) or a system one
            fr = layer(src)
            if RANK[to] > RANK[fr] or (RANK[to] == RANK[fr] and to != fr
                                       and (fr, to) not in SIDEWAYS):
                found.append(("up %s %s" % (src, inc), "up %s:%d: includes %s" % (src, no, inc)))
            a, b = module(src), module(inc)
            if a != b:
                edges.setdefault(a, set()).add(b)
    for cyc in cycles(edges):
        text = " -> ".join(cyc + [cyc[0]])
        found.append(("cycle " + text, "cycle " + text))
    return found


def cycles(edges):
    """One shortest cycle per strongly connected component of more than one
    module, starting at the component's smallest module name (stable)."""
    index, low, on, stack, comps = {}, {}, set(), [], []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            strong(v)
    out = []
    for comp in sorted(comps):
        inside = set(comp)
        for start in comp:
            # breadth-first from start back to start, inside the component
            prev = {start: None}
            queue = [start]
            hit = None
            while queue and hit is None:
                nxt = []
                for v in queue:
                    for w in sorted(edges.get(v, ())):
                        if w == start:
                            hit = v
                            break
                        if w in inside and w not in prev:
                            prev[w] = v
                            nxt.append(w)
                    if hit is not None:
                        break
                queue = nxt
            if hit is not None:
                path = []
                v = hit
                while v is not None:
                    path.append(v)
                    v = prev[v]
                out.append(list(reversed(path)))
                if len(comp) == 2:
                    break
        # each module of a bigger component may sit on its own cycle; keep
        # the distinct ones
    seen, uniq = set(), []
    for c in out:
        k = frozenset(c), len(c)
        if k not in seen:
            seen.add(k)
            uniq.append(c)
    return uniq


def split_units(root):
    """The parts of one split file: every .c that includes the private
    header NAME-int.h belongs to module NAME (commitments.c, commit-query.c
    and commit-compute.c are analyzers/commit; docs/HACKING.md).  Their
    calls into each other are one module's, not a cycle between files.
    Returns {file without .c: module}."""
    unit = {}
    for src in sources(root):
        if not src.endswith(".c"):
            continue
        with open(os.path.join(root, src), encoding="utf-8", errors="replace") as f:
            for line in f:
                m = INC.match(line)
                if m and m.group(1).endswith("-int.h"):
                    unit[src[:-2]] = m.group(1)[:-6]
                    break
    return unit


def calls(build, root):
    """Uses of a higher layer's symbols by the objects below build/ (nm);
    objects whose source file is gone (left from before a move) are
    skipped."""
    import subprocess
    objs = []
    for top in sorted(RANK):
        d = os.path.join(build, top)
        for dirpath, dirnames, files in os.walk(d):
            dirnames.sort()
            objs += [os.path.join(dirpath, f) for f in sorted(files) if f.endswith(".o")
                     and os.path.exists(os.path.join(root, os.path.relpath(
                         os.path.join(dirpath, f[:-2] + ".c"), build)))]
    if not objs:
        return [("nm", "call: no object files below %s (build first)" % build)]
    out = subprocess.run(["nm", "-A", "--defined-only", "-g"] + objs, capture_output=True,
                         text=True, check=True).stdout
    owner, code = {}, set()
    for line in out.splitlines():
        path, _, rest = line.partition(":")
        parts = rest.split()
        if len(parts) >= 3:
            owner[parts[2]] = os.path.relpath(path, build)
            if parts[1] in ("T", "W"):
                code.add(parts[2])
    out = subprocess.run(["nm", "-A", "-u"] + objs, capture_output=True, text=True,
                         check=True).stdout
    found = []
    edges = {}
    unit = split_units(root)
    for line in out.splitlines():
        path, _, rest = line.partition(":")
        sym = rest.split()[-1] if rest.split() else ""
        rel = os.path.relpath(path, build)
        to = owner.get(sym)
        if to is None:
            continue
        fr, tl = layer(rel), layer(to)
        if RANK[tl] > RANK[fr] or (RANK[tl] == RANK[fr] and tl != fr and (fr, tl) not in SIDEWAYS):
            found.append(("call %s %s" % (rel, sym), "call %s: uses %s of %s" % (rel, sym, to)))
        if to != rel and sym in code:
            a, b = unit.get(rel[:-2], rel[:-2]), unit.get(to[:-2], to[:-2])
            if a != b:
                edges.setdefault(a, set()).add(b)
    # a file-level call cycle: objects (the parts of one split file, which
    # share its private NAME-int.h, counted as one) that reach themselves through the
    # functions they call (what no #include shows: a.c calls b.c, b.c
    # calls back into a.c through importer.h).  Data do not count: a
    # registration table (cli/main.c's commands, analyzers.c's analyzers)
    # names its entries, which call the helpers beside the table.
    for cyc in cycles(edges):
        text = " -> ".join(cyc + [cyc[0]])
        found.append(("call cycle " + text, "call cycle " + text))
    return found


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    root = args[0] if args else "."
    found = check(root)
    for a in argv[1:]:
        if a.startswith("--objects="):
            found += calls(a[len("--objects="):], root)
    keys = {k for k, _ in found}
    if "--known" in argv:
        for k, why in sorted(KNOWN.items()):
            print("%s %s (%s)" % ("holds" if k in keys else "fixed", k, why))
        return 0
    use_known = "--strict" not in argv
    bad = [t for k, t in found if not (use_known and k in KNOWN)]
    for t in bad:
        print(t)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
