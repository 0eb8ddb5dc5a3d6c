/**
 * The configuration file as text: parsing (JSON syntax errors with line and column, then
 * validation) and writing it back in a stable form that parses to the same config.
 */
import { formatJsonSyntaxError, parseJson } from './json.ts';
import { ENDPOINT_KEYS, TOP_KEYS, type ConfigValidation, type UserConfig, type UserEndpointConfig } from './schema.ts';
import { validateUserConfig, type ValidateOptions } from './validate.ts';

/**
 * Parses the text of a config file: JSON syntax errors carry line and column; then validates.
 */
export function parseUserConfig(text: string, options: ValidateOptions = {}): ConfigValidation {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const e = parsed.error;
    return { ok: false, errors: [{ path: '', message: formatJsonSyntaxError(e), line: e.line, column: e.column }], warnings: [] };
  }
  return validateUserConfig(parsed.value, options);
}

/** Stable, readable JSON (2-space indent, fixed key order) that parseUserConfig accepts back. */
export function serializeUserConfig(config: UserConfig): string {
  const ordered: Record<string, unknown> = { version: config.version };
  for (const key of TOP_KEYS) {
    if (key === 'version') continue;
    const v = config[key];
    if (v === undefined) continue;
    if (key === 'endpoints' && Array.isArray(v)) {
      ordered[key] = (v as UserEndpointConfig[]).map((e) => {
        const o: Record<string, unknown> = {};
        for (const k of ENDPOINT_KEYS) if (e[k] !== undefined) o[k] = e[k];
        return o;
      });
    } else {
      ordered[key] = v;
    }
  }
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
