#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The module graph of a daemon from its #include "..." lines, and its cycles.

A module is a file stem (dhcpd/pxe/arch for arch.c + arch.h), and a private
header X_int.h or X_internal.h belongs to module X; A -> B when a file of A
includes a header of B. Headers are looked up as the compiler does: beside the
including file, then in the daemon's folder (-Idhcpd); common/ headers are
outside the graph. Prints the modules in dependency order (each after what it
uses) and exits 1 when two modules depend on each other, naming the cycle.

    tests/include-graph.py dhcpd tftpd httpd common
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


PRIVATE = re.compile(r'_(int|internal)$')


def module_of(path):
    return PRIVATE.sub('', path[:-2])


def modules(top):
    mods = {}
    for d, _, files in os.walk(top):
        for f in files:
            if f.endswith(('.c', '.h')):
                path = os.path.join(d, f)
                mods.setdefault(module_of(path), []).append(path)
    return mods


def edges(top, mods):
    graph = {m: set() for m in mods}
    for m, files in mods.items():
        for path in files:
            with open(path, encoding='utf-8', errors='replace') as fh:
                text = fh.read()
            for inc in INCLUDE.findall(text):
                for base in (os.path.dirname(path), top):
                    cand = os.path.normpath(os.path.join(base, inc))
                    if cand.endswith('.h') and os.path.exists(cand):
                        if module_of(cand) != m:
                            graph[m].add(module_of(cand))
                        break
    return graph


def sccs(graph):
    """Tarjan's strongly connected components, iteratively."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = n[0]; n[0] += 1
        stack.append(root); on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = n[0]; n[0] += 1
                    stack.append(w); on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop(); on.discard(w); comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out  # reverse topological order: dependencies first


def main(argv):
    status = 0
    for top in argv or ['dhcpd', 'tftpd', 'httpd', 'common']:
        top = top.rstrip('/')
        mods = modules(top)
        graph = edges(top, mods)
        comps = sccs(graph)
        cycles = [c for c in comps if len(c) > 1]
        name = lambda m: os.path.relpath(m, top)
        print(f'{top}: {len(mods)} modules, {sum(len(v) for v in graph.values())} edges, '
              f'{len(cycles)} cycles')
        for comp in comps:
            for m in comp:
                uses = ' '.join(sorted(name(u) for u in graph[m])) or '-'
                print(f'  {name(m):<20} -> {uses}')
        for c in cycles:
            print(f'  CYCLE: {" <-> ".join(name(m) for m in c)}')
            status = 1
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
