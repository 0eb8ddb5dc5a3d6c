import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** src/config modules (tests aside) → the src/config modules they import. */
function configImportGraph(): Map<string, string[]> {
  const dir = new URL('./', import.meta.url);
  const modules = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const graph = new Map<string, string[]>();
  for (const file of modules) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const targets = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'\.\/([^'/]+)'/gm)]
      .map((m) => m[1] ?? '')
      .map((name) => (name.endsWith('.ts') ? name : `${name}.ts`));
    graph.set(file, targets);
  }
  return graph;
}

/** One import cycle as a path `a → b → a`, or null when there is none. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'visiting') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'visiting');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('src/config imports', () => {
  it('finds a cycle when there is one', () => {
    expect(findCycle(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']]]))).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
    expect(findCycle(new Map([['a.ts', ['b.ts', 'c.ts']], ['b.ts', ['c.ts']], ['c.ts', []]]))).toBeNull();
  });

  it('the config modules import each other without a cycle (type imports included)', () => {
    const graph = configImportGraph();
    expect(graph.get('validate.ts')).toContain('schema.ts');
    expect(findCycle(graph)).toBeNull();
  });
});
