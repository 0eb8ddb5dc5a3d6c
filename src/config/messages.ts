/**
 * How configuration issues are worded: value kinds, paths into the file, "did you mean" hints
 * and chain names. Shared by validation and the endpoint chain check so their messages match.
 */
import { getChain } from '../registry/chains.ts';

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return Number.isFinite(v) ? 'a number' : String(v);
  return `a ${typeof v}`;
}

/** Object keys in paths: plain identifiers dotted, anything else quoted (`order["1"]`). */
export function keyPath(parent: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Keys of chain-id maps are data, always shown quoted: `order["1"]`. */
export function mapKeyPath(parent: string, key: string): string {
  return `${parent}[${JSON.stringify(key)}]`;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0] ?? 0;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j] ?? 0;
      dp[j] = Math.min((dp[j] ?? 0) + 1, (dp[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length] ?? 0;
}

export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const near = allowed.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  return `unknown key${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${allowed.join(', ')}`;
}

/** A chain id with its name when known: `56 (BNB Smart Chain)`. */
export function chainLabel(id: number): string {
  const c = getChain(id);
  return c ? `${id} (${c.name})` : String(id);
}

/** True when `value` is one of the closed vocabulary `allowed` (e.g. INFRASTRUCTURES). */
export function isOneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

export function mustBeOneOf(allowed: readonly string[], value: unknown): string {
  return `must be one of ${allowed.join(', ')} (got ${typeof value === 'string' ? JSON.stringify(value) : typeName(value)})`;
}
