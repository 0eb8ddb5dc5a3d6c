/**
 * Shared by the config tests: validation results as the "path: message" lines users read.
 */
import type { ConfigValidation, UserConfig } from './schema.ts';
import { formatIssue } from './schema.ts';

/** The smallest useful file, as docs/config.md shows it. */
export const SMALLEST = '{"version": 1, "endpoints": [{"chainId": 1, "url": "http://127.0.0.1:8545", "label": "My node"}]}';

export function errors(r: ConfigValidation): string[] {
  return r.ok ? [] : r.errors.map(formatIssue);
}
export function warnings(r: ConfigValidation): string[] {
  return r.warnings.map(formatIssue);
}
export function valid(r: ConfigValidation): UserConfig {
  if (!r.ok) throw new Error(`expected valid config, got:\n${errors(r).join('\n')}`);
  return r.config;
}
