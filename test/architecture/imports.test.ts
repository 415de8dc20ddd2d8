// The layering rule of README.md's "Layers" section, checked on every import in src/: a module
// imports only from its own layer and from layers on earlier lines; layers on one line are siblings
// (neither imports the other); and no chain of imports (type-only ones included) leads back to
// where it started.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

/** Layer ranks from the README: `1. \`x86\`` lines under "## Layers"; a line may name several siblings. */
function readmeLayers(): Map<string, number> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Layers'));
  if (!section) throw new Error('README.md has no "## Layers" section');
  const ranks = new Map<string, number>();
  for (const line of section.split('\n')) {
    const m = /^(\d+)\. (.*)$/.exec(line);
    if (!m) continue;
    for (const name of m[2]!.matchAll(/`([^`]+)`/g)) ranks.set(name[1]!, Number(m[1]));
  }
  return ranks;
}

type Graph = Map<string, string[]>;

/** Every .ts module under src/ with the relative modules it imports or re-exports (static and dynamic). */
function importGraph(): Graph {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(SRC);
  const graph: Graph = new Map();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      targets.push(relative(SRC, normalize(join(dirname(f), spec))).replace(/\.js$/, '.ts'));
    }
    graph.set(relative(SRC, f), targets);
  }
  return graph;
}

/** A module's layer: its folder under src/, or `cli` for src/cli.ts (the entry point). */
function layerOf(module: string): string {
  const parts = module.split(sep);
  return parts.length > 1 ? parts[0]! : module.replace(/\.ts$/, '');
}

/** Imports that break the layering: into a higher layer, a sibling, or a folder the README does not list. */
function layerViolations(graph: Graph, ranks: Map<string, number>): string[] {
  const bad: string[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(from);
    for (const to of targets) {
      const b = layerOf(to);
      if (a === b) continue;
      const ra = ranks.get(a), rb = ranks.get(b);
      if (ra === undefined || rb === undefined) bad.push(`${from} -> ${to}: layer ${ra === undefined ? a : b} is not listed in README.md`);
      else if (rb >= ra) bad.push(`${from} -> ${to}: ${a} (layer ${ra}) imports ${b} (layer ${rb})`);
    }
  }
  return bad;
}

/** Import cycles, one line per strongly connected component of more than one module (or a self-import). */
function cycles(graph: Graph): string[] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
  const found: string[] = [];
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort().join(' <-> '));
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

describe('import layering (README.md "Layers")', () => {
  const ranks = readmeLayers();
  const graph = importGraph();

  it('lists every folder of src/ as a layer', () => {
    const layers = new Set([...graph.keys()].map(layerOf));
    expect([...layers].filter((l) => !ranks.has(l)).sort()).toEqual([]);
    expect(ranks.get('emu')).toBeLessThan(ranks.get('linux')!);
  });

  it('src/emu imports nothing from src/linux', () => {
    const emuToLinux = [...graph].flatMap(([from, to]) => (layerOf(from) === 'emu' ? to.filter((t) => layerOf(t) === 'linux').map((t) => `${from} -> ${t}`) : []));
    expect(emuToLinux).toEqual([]);
  });

  it('no layer imports a higher layer or a sibling', () => {
    expect(layerViolations(graph, ranks)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('the checks catch an upward import, a sibling import and a cycle', () => {
    const toy: Graph = new Map([
      ['x86/a.ts', ['emu/b.ts']],
      ['emu/b.ts', ['asm/c.ts', 'x86/a.ts']],
      ['asm/c.ts', []],
    ]);
    expect(layerViolations(toy, ranks)).toEqual([
      'x86/a.ts -> emu/b.ts: x86 (layer 1) imports emu (layer 2)',
      'emu/b.ts -> asm/c.ts: emu (layer 2) imports asm (layer 2)',
    ]);
    expect(cycles(toy)).toEqual(['emu/b.ts <-> x86/a.ts']);
  });
});
