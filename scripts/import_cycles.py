#!/usr/bin/env python3
"""Import circles between the core's modules: builds the graph of `use crate::…`, `crate::…`
and `super::…` paths per file (test modules and comments left out, `coded_enum!` counted as a
use of `model`) and lists its strongly connected components of more than one module.
Usage: scripts/import_cycles.py [CRATE_SRC] [-v]   (default src-tauri/core/src; -v: the whole graph).
Exit status 1 when there is a circle (run by scripts/test.sh: there must be none), 1 too when
CRATE_SRC holds no module."""
import os, re, sys
args = [a for a in sys.argv[1:] if not a.startswith('-')]
root = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src-tauri', 'core', 'src')
mods = {}
for dp, _, fs in os.walk(root):
    for f in fs:
        if not f.endswith('.rs'): continue
        p = os.path.join(dp, f); rel = os.path.relpath(p, root)[:-3]
        if rel.startswith('bin/') : continue
        parts = rel.split('/')
        if parts[-1] in ('mod', 'lib'): parts = parts[:-1]
        mods['::'.join(parts) or 'crate'] = open(p).read()
if not mods:
    sys.exit(f"no Rust module found under {root}")
names = set(mods)
def resolve(path, me):
    segs = path.split('::')
    best = None
    for i in range(1, len(segs)+1):
        cand = '::'.join(segs[:i])
        if cand in names: best = cand
    return best
graph = {m: set() for m in mods}
for m, src in mods.items():
    # drop test modules: everything from #[cfg(test)] mod tests on
    src = re.split(r'#\[cfg\(test\)\]\s*(pub(\(crate\))?\s+)?mod tests', src)[0]
    src = re.sub(r'//[^\n]*', '', src)
    paths = set()
    for u in re.finditer(r'\buse\s+crate::([^;]+);', src, re.S):
        body = u.group(1)
        # expand one level of braces
        mb = re.match(r'([\w:]*?)::?\{(.*)\}$', body.strip(), re.S)
        if mb:
            prefix = mb.group(1)
            for item in re.split(r',(?![^{]*\})', mb.group(2)):
                item = item.strip()
                if not item: continue
                item = re.sub(r'\{.*', '', item).rstrip(':')
                paths.add((prefix + '::' + item) if prefix else item)
        else:
            paths.add(body.strip())
    for u in re.finditer(r'\bcrate::((?:\w+::)*\w+)', src):
        paths.add(u.group(1))
    for u in re.finditer(r'\bsuper::((?:\w+::)*\w+)', src):
        parent = m.rsplit('::', 1)[0] if '::' in m else ''
        paths.add((parent + '::' + u.group(1)) if parent else u.group(1))
    for p in paths:
        p = re.sub(r'\s+as\s+\w+$', '', p).replace('self', '').strip(':')
        t = resolve(p, m)
        if t and t != m and not m.startswith(t + '::') and t != 'crate':
            graph[m].add(t)
# macro coded_enum lives in model
for m, src in mods.items():
    if m != 'model' and 'coded_enum!' in src: graph[m].add('model')
# Tarjan
idx = {}; low = {}; st = []; on = set(); sccs = []; c = [0]
sys.setrecursionlimit(10000)
def sc(v):
    idx[v] = low[v] = c[0]; c[0] += 1; st.append(v); on.add(v)
    for w in graph[v]:
        if w not in idx: sc(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], idx[w])
    if low[v] == idx[v]:
        comp = []
        while True:
            w = st.pop(); on.discard(w); comp.append(w)
            if w == v: break
        sccs.append(comp)
for v in graph:
    if v not in idx: sc(v)
big = [sorted(s) for s in sccs if len(s) > 1]
print(f"{len(big)} strongly connected component(s) with more than one module")
for s in big:
    print("  -", ", ".join(s))
    for a in s:
        print("      ", a, "->", ", ".join(sorted(graph[a] & set(s))))
if '-v' in sys.argv:
    for m in sorted(graph): print(m, '->', ', '.join(sorted(graph[m])))
sys.exit(1 if big else 0)
