/**
 * The user's configuration file (docs/config.md): own endpoints, disabled/enabled defaults,
 * per-chain order, infrastructure corrections, policy overrides and a privacy filter. Validation never throws and reports
 * every problem with a precise path, because the file is hand-edited and "invalid config" with no
 * detail is useless. Pure: storage and UI live in the extension shell.
 */
import type { Endpoint, Infrastructure, PrivacyLabel } from '../types.ts';
import { getChain, isKnownChain } from '../registry/chains.ts';
import { DEFAULT_ENDPOINTS } from '../registry/defaults.ts';
import { checkDenylist } from '../registry/denylist.ts';
import { recognizeRpcUrl } from '../registry/primaries.ts';
import { isLoopbackHost, normalizeRpcUrl, tryParseUrl } from '../registry/url.ts';
import { formatJsonSyntaxError, parseJson } from './json.ts';
import { toUserEndpoint } from './merge.ts';
import {
  POLICY_KNOBS,
  POLICY_KNOB_NAMES,
  POLICY_KNOB_ORDER,
  isPolicyKnobName,
  type PolicyKnob,
  type PolicyOverrides,
} from './policy-overrides.ts';

export { verifyEndpointChain, parseChainIdResult } from './verify-chain.ts';
export type { ChainVerification, RpcCall, VerifyOptions } from './verify-chain.ts';
export { POLICY_KNOBS, POLICY_KNOB_NAMES, clampPolicyValue, toEnginePolicyPatch } from './policy-overrides.ts';
export type { EnginePolicyPatch, PolicyKnob, PolicyKnobName, PolicyOverrides } from './policy-overrides.ts';
export { mergeRegistry, userEndpointId, toUserEndpoint, effectivePolicyOverrides } from './merge.ts';
export type { EffectiveRegistry } from './merge.ts';

export const USER_CONFIG_VERSION = 1;

// Written as records so the compiler fails here when src/types.ts gains or loses a value.
const INFRASTRUCTURE_SET = {
  aws: true, gcp: true, azure: true, cloudflare: true, hetzner: true, ovh: true,
  decentralised: true, 'self-hosted': true, unknown: true,
} satisfies Record<Infrastructure, true>;
const PRIVACY_SET = { none: true, limited: true, yes: true } satisfies Record<PrivacyLabel, true>;

export const INFRASTRUCTURES = Object.keys(INFRASTRUCTURE_SET) as readonly Infrastructure[];
export const PRIVACY_LABELS = Object.keys(PRIVACY_SET) as readonly PrivacyLabel[];

export interface UserEndpointConfig {
  chainId: number;
  /** https, or http to a loopback host. May carry the user's own API key. */
  url: string;
  label?: string;
  infrastructure?: Infrastructure;
  privacy?: PrivacyLabel;
}

export interface UserConfig {
  version: 1;
  /** The user's own endpoints; they rank before the defaults of their chain. */
  endpoints?: UserEndpointConfig[];
  /** Endpoint ids (or URLs of own endpoints) to turn off. */
  disabledEndpoints?: string[];
  /** Default endpoint ids that are off by default (tracking) to turn on. */
  enabledEndpoints?: string[];
  /** Per chain (key: decimal chain id), endpoint ids or own URLs to rank first, in this order. */
  order?: Record<string, string[]>;
  /**
   * Corrections of where endpoints run (key: endpoint id or own URL). Failures correlate within
   * one infrastructure, and the shipped tags are `unknown` unless publicly known.
   */
  infrastructure?: Record<string, Infrastructure>;
  /** Engine knob overrides for all chains. */
  policy?: PolicyOverrides;
  /** Engine knob overrides per chain (key: decimal chain id); win over `policy`. */
  chainPolicy?: Record<string, PolicyOverrides>;
  privacy?: {
    /** Hide endpoints labelled as tracking users entirely (they cannot be enabled). */
    hideTracking?: boolean;
  };
}

export interface ConfigIssue {
  /** Where, e.g. `endpoints[0].url`; '' for the whole file. */
  path: string;
  message: string;
  /** For JSON syntax errors. */
  line?: number;
  column?: number;
}

export type ConfigValidation =
  | { ok: true; config: UserConfig; warnings: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] };

export interface ValidateOptions {
  /** The registry references are checked against; defaults to the shipped one. */
  defaults?: readonly Endpoint[];
}

export function formatIssue(issue: ConfigIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export function emptyUserConfig(): UserConfig {
  return { version: 1 };
}

const TOP_KEYS = ['version', 'endpoints', 'disabledEndpoints', 'enabledEndpoints', 'order', 'infrastructure', 'policy', 'chainPolicy', 'privacy'] as const;
const ENDPOINT_KEYS = ['chainId', 'url', 'label', 'infrastructure', 'privacy'] as const;
const PRIVACY_KEYS = ['hideTracking'] as const;
const MAX_URL_LENGTH = 2048;
const MAX_LABEL_LENGTH = 64;

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Obj, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return Number.isFinite(v) ? 'a number' : String(v);
  return `a ${typeof v}`;
}

/** Object keys in paths: plain identifiers dotted, anything else quoted (`order["1"]`). */
function keyPath(parent: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Keys of chain-id maps are data, always shown quoted: `order["1"]`. */
function mapKeyPath(parent: string, key: string): string {
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

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const near = allowed.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  return `unknown key${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${allowed.join(', ')}`;
}

function chainLabel(id: number): string {
  const c = getChain(id);
  return c ? `${id} (${c.name})` : String(id);
}

/** A canonical decimal chain id used as an object key ("1", "8453"). */
function parseChainKey(key: string): number | null {
  if (!/^[1-9][0-9]{0,15}$/.test(key)) return null;
  const n = Number(key);
  return Number.isSafeInteger(n) ? n : null;
}

/** Checks a URL for a user endpoint; returns the reason it is refused, or null. */
export function checkEndpointUrl(url: string): string | null {
  if (url.length === 0) return 'must not be empty';
  if (url.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  const u = tryParseUrl(url);
  if (!u) return 'is not a valid URL (expected e.g. https://rpc.example.com)';
  if (u.protocol === 'ws:' || u.protocol === 'wss:') return 'must be an http(s) JSON-RPC URL; WebSocket URLs are not supported';
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `must be https (got ${u.protocol.replace(/:$/, '')}:)`;
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    return 'must be https (http is allowed only for loopback hosts such as 127.0.0.1, localhost, [::1])';
  }
  // fetch() refuses URLs with embedded credentials, so such an endpoint could never be called.
  if (u.username || u.password) {
    return 'must not contain credentials (user:password@); browsers refuse to fetch such URLs — put the key in the path or query if the provider supports it';
  }
  const denied = checkDenylist(url);
  if (denied) return `is not usable: ${denied.reason}`;
  return null;
}

interface Ctx {
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  defaults: readonly Endpoint[];
}

function err(ctx: Ctx, path: string, message: string): void {
  ctx.errors.push({ path, message });
}
function warn(ctx: Ctx, path: string, message: string): void {
  ctx.warnings.push({ path, message });
}

function rejectUnknownKeys(ctx: Ctx, obj: Obj, allowed: readonly string[], parent: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) err(ctx, keyPath(parent, key), unknownKeyMessage(key, allowed));
  }
}

function validateEndpoint(ctx: Ctx, raw: unknown, path: string): UserEndpointConfig | null {
  if (!isObject(raw)) {
    err(ctx, path, `must be an object like {"chainId": 1, "url": "https://…"} (got ${typeName(raw)})`);
    return null;
  }
  rejectUnknownKeys(ctx, raw, ENDPOINT_KEYS, path);
  let ok = true;
  let chainId = 0;
  if (!has(raw, 'chainId')) {
    err(ctx, `${path}.chainId`, 'required (the chain this endpoint serves, e.g. 1 for Ethereum)');
    ok = false;
  } else if (typeof raw.chainId !== 'number' || !Number.isSafeInteger(raw.chainId) || raw.chainId <= 0) {
    err(ctx, `${path}.chainId`, `must be a positive integer chain id (got ${typeName(raw.chainId)}${typeof raw.chainId === 'number' ? ` ${raw.chainId}` : ''})`);
    ok = false;
  } else {
    chainId = raw.chainId;
  }

  let url = '';
  if (!has(raw, 'url')) {
    err(ctx, `${path}.url`, 'required');
    ok = false;
  } else if (typeof raw.url !== 'string') {
    err(ctx, `${path}.url`, `must be a string (got ${typeName(raw.url)})`);
    ok = false;
  } else {
    url = raw.url.trim();
    const problem = checkEndpointUrl(url);
    if (problem) {
      err(ctx, `${path}.url`, problem);
      ok = false;
    }
  }

  const out: UserEndpointConfig = { chainId, url };
  if (has(raw, 'label')) {
    const label = raw.label;
    if (typeof label !== 'string') {
      err(ctx, `${path}.label`, `must be a string (got ${typeName(label)})`);
      ok = false;
    } else if (label.trim().length === 0 || label.trim().length > MAX_LABEL_LENGTH) {
      err(ctx, `${path}.label`, `must be 1 to ${MAX_LABEL_LENGTH} characters`);
      ok = false;
    } else if (/[\u0000-\u001f\u007f]/.test(label)) {
      err(ctx, `${path}.label`, 'must not contain control characters');
      ok = false;
    } else {
      out.label = label.trim();
    }
  }
  if (has(raw, 'infrastructure')) {
    const v = raw.infrastructure;
    if (typeof v !== 'string' || !(INFRASTRUCTURES as readonly string[]).includes(v)) {
      err(ctx, `${path}.infrastructure`, `must be one of ${INFRASTRUCTURES.join(', ')} (got ${typeof v === 'string' ? JSON.stringify(v) : typeName(v)})`);
      ok = false;
    } else {
      out.infrastructure = v as Infrastructure;
    }
  }
  if (has(raw, 'privacy')) {
    const v = raw.privacy;
    if (typeof v !== 'string' || !(PRIVACY_LABELS as readonly string[]).includes(v)) {
      err(ctx, `${path}.privacy`, `must be one of ${PRIVACY_LABELS.join(', ')} (got ${typeof v === 'string' ? JSON.stringify(v) : typeName(v)})`);
      ok = false;
    } else {
      out.privacy = v as PrivacyLabel;
    }
  }
  return ok ? out : null;
}

function validateStringList(ctx: Ctx, raw: unknown, path: string): string[] | null {
  if (!Array.isArray(raw)) {
    err(ctx, path, `must be an array of endpoint ids (got ${typeName(raw)})`);
    return null;
  }
  const out: string[] = [];
  const seen = new Map<string, number>();
  raw.forEach((item: unknown, i) => {
    const p = `${path}[${i}]`;
    if (typeof item !== 'string' || item.trim().length === 0) {
      err(ctx, p, `must be a non-empty string (an endpoint id such as "1:drpc" or your endpoint's URL; got ${typeName(item)})`);
      return;
    }
    const v = item.trim();
    const first = seen.get(v);
    if (first !== undefined) {
      err(ctx, p, `duplicate of ${path}[${first}]`);
      return;
    }
    seen.set(v, i);
    out.push(v);
  });
  return out;
}

function validatePolicy(ctx: Ctx, raw: unknown, path: string): PolicyOverrides | null {
  if (!isObject(raw)) {
    err(ctx, path, `must be an object of knob names to numbers (got ${typeName(raw)})`);
    return null;
  }
  const out: PolicyOverrides = {};
  let ok = true;
  for (const key of Object.keys(raw)) {
    const p = keyPath(path, key);
    if (!isPolicyKnobName(key)) {
      err(ctx, p, unknownKeyMessage(key, POLICY_KNOB_NAMES));
      ok = false;
      continue;
    }
    const knob: PolicyKnob = POLICY_KNOBS[key];
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      err(ctx, p, `must be a number (got ${typeName(v)})`);
      ok = false;
    } else if (knob.integer && !Number.isInteger(v)) {
      err(ctx, p, `must be a whole number of ${knob.unit} (got ${v})`);
      ok = false;
    } else if (v < knob.min || v > knob.max) {
      err(ctx, p, `must be between ${knob.min} and ${knob.max} ${knob.unit} (got ${v})`);
      ok = false;
    } else {
      out[key] = v;
    }
  }
  return ok ? out : null;
}

function checkPolicyOrder(ctx: Ctx, merged: PolicyOverrides, pathOf: (k: string) => string): void {
  for (const { low, high, strict } of POLICY_KNOB_ORDER) {
    const a = merged[low];
    const b = merged[high];
    if (a === undefined || b === undefined) continue;
    if (strict ? a >= b : a > b) {
      err(ctx, pathOf(high), `must be ${strict ? 'greater than' : 'at least'} ${low} (${b} ${strict ? '≤' : '<'} ${a})`);
    }
  }
}

/** Resolves an endpoint reference (default id, own endpoint id or own URL) within known endpoints. */
function resolveRef(ref: string, known: readonly Endpoint[]): Endpoint | undefined {
  const byId = known.find((e) => e.id === ref);
  if (byId) return byId;
  if (!/^https?:\/\//i.test(ref)) return undefined;
  const n = normalizeRpcUrl(ref);
  return known.find((e) => e.source === 'user' && normalizeRpcUrl(e.url) === n) ??
    known.find((e) => normalizeRpcUrl(e.url) === n);
}

/**
 * Validates a parsed configuration. Returns the normalised config (strings trimmed, nothing
 * added) or every error found. Unknown endpoint ids are warnings, not errors: the default
 * registry changes between versions and an old reference must not invalidate the whole file.
 */
export function validateUserConfig(value: unknown, options: ValidateOptions = {}): ConfigValidation {
  const ctx: Ctx = { errors: [], warnings: [], defaults: options.defaults ?? DEFAULT_ENDPOINTS };
  try {
    const config = validateInto(ctx, value);
    if (ctx.errors.length === 0 && config) return { ok: true, config, warnings: ctx.warnings };
  } catch (e) {
    // Defensive: validation must never throw on user input. Reaching this is a bug.
    err(ctx, '', `internal validation error: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (ctx.errors.length === 0) err(ctx, '', 'invalid configuration');
  return { ok: false, errors: ctx.errors, warnings: ctx.warnings };
}

function validateInto(ctx: Ctx, value: unknown): UserConfig | null {
  if (!isObject(value)) {
    err(ctx, '', `the configuration must be a JSON object like {"version": 1} (got ${typeName(value)})`);
    return null;
  }
  if (!has(value, 'version')) {
    err(ctx, 'version', `required (use ${USER_CONFIG_VERSION})`);
  } else if (value.version !== USER_CONFIG_VERSION) {
    // A different version has a different schema: judging its fields would only add noise.
    const v = value.version;
    err(ctx, 'version', `unsupported version ${typeof v === 'number' ? v : typeName(v)} (this Lifeline understands version ${USER_CONFIG_VERSION})`);
    return null;
  }
  rejectUnknownKeys(ctx, value, TOP_KEYS, '');

  const config: UserConfig = { version: 1 };

  // Own endpoints.
  const userEndpoints: Endpoint[] = [];
  if (has(value, 'endpoints')) {
    const raw = value.endpoints;
    if (!Array.isArray(raw)) {
      err(ctx, 'endpoints', `must be an array (got ${typeName(raw)})`);
    } else {
      const list: UserEndpointConfig[] = [];
      const seen = new Map<string, { index: number; chainId: number }>();
      const seenUrl = new Map<string, { index: number; chainId: number }>();
      raw.forEach((item: unknown, i) => {
        const path = `endpoints[${i}]`;
        const ep = validateEndpoint(ctx, item, path);
        if (!ep) return;
        const norm = normalizeRpcUrl(ep.url);
        const dup = seen.get(`${ep.chainId} ${norm}`);
        if (dup) {
          err(ctx, `${path}.url`, `duplicate of endpoints[${dup.index}] (same chain and URL)`);
          return;
        }
        seen.set(`${ep.chainId} ${norm}`, { index: i, chainId: ep.chainId });
        const other = seenUrl.get(norm);
        if (other) {
          warn(ctx, `${path}.url`, `also listed for chain ${chainLabel(other.chainId)} in endpoints[${other.index}]; a JSON-RPC URL serves one chain`);
        } else {
          seenUrl.set(norm, { index: i, chainId: ep.chainId });
        }
        const sameDefault = ctx.defaults.find((d) => normalizeRpcUrl(d.url) === norm);
        if (sameDefault && sameDefault.chainId !== ep.chainId) {
          err(ctx, `${path}.chainId`, `${ep.url} is the default endpoint ${sameDefault.id} for chain ${chainLabel(sameDefault.chainId)}, not chain ${chainLabel(ep.chainId)}`);
          return;
        }
        if (sameDefault) {
          warn(ctx, `${path}.url`, `same as default endpoint ${sameDefault.id}; your entry replaces it and ranks first`);
        } else {
          const rec = recognizeRpcUrl(ep.url);
          if (rec?.chainId !== undefined && rec.chainId !== ep.chainId) {
            warn(ctx, `${path}.chainId`, `the URL looks like ${rec.provider} for chain ${chainLabel(rec.chainId)}, not chain ${chainLabel(ep.chainId)}; Lifeline checks eth_chainId before using it`);
          }
        }
        if (!isKnownChain(ep.chainId) && !ctx.defaults.some((d) => d.chainId === ep.chainId)) {
          warn(ctx, `${path}.chainId`, `chain ${ep.chainId} has no default endpoints; only your own will be used for it`);
        }
        list.push(ep);
        userEndpoints.push(toUserEndpoint(ep));
      });
      config.endpoints = list;
    }
  }

  const known: Endpoint[] = [...userEndpoints, ...ctx.defaults];

  // Disabled / enabled.
  let disabled: string[] | null = null;
  let enabled: string[] | null = null;
  if (has(value, 'disabledEndpoints')) {
    disabled = validateStringList(ctx, value.disabledEndpoints, 'disabledEndpoints');
    if (disabled) config.disabledEndpoints = disabled;
  }
  if (has(value, 'enabledEndpoints')) {
    enabled = validateStringList(ctx, value.enabledEndpoints, 'enabledEndpoints');
    if (enabled) config.enabledEndpoints = enabled;
  }
  disabled?.forEach((ref, i) => {
    if (!resolveRef(ref, known)) warn(ctx, `disabledEndpoints[${i}]`, `no endpoint "${ref}" (ignored; ids look like "1:drpc")`);
  });
  enabled?.forEach((ref, i) => {
    const path = `enabledEndpoints[${i}]`;
    const ep = resolveRef(ref, known);
    if (!ep) warn(ctx, path, `no endpoint "${ref}" (ignored; ids look like "1:lava")`);
    else if (disabled?.some((d) => resolveRef(d, known) === ep)) err(ctx, path, `"${ref}" is also in disabledEndpoints; keep it in one list`);
    else if (ep.enabled) warn(ctx, path, `"${ref}" is already enabled by default`);
  });

  // Per-chain order.
  if (has(value, 'order')) {
    const raw = value.order;
    if (!isObject(raw)) {
      err(ctx, 'order', `must be an object of chain id → list of endpoint ids, e.g. {"1": ["1:drpc"]} (got ${typeName(raw)})`);
    } else {
      const order: Record<string, string[]> = {};
      for (const key of Object.keys(raw)) {
        const path = mapKeyPath('order', key);
        const chainId = parseChainKey(key);
        if (chainId === null) {
          err(ctx, path, `key must be a decimal chain id such as "1" (got ${JSON.stringify(key)})`);
          continue;
        }
        const list = validateStringList(ctx, raw[key], path);
        if (!list) continue;
        list.forEach((ref, i) => {
          const ep = resolveRef(ref, known);
          if (!ep) warn(ctx, `${path}[${i}]`, `no endpoint "${ref}" (ignored)`);
          else if (ep.chainId !== chainId) err(ctx, `${path}[${i}]`, `"${ref}" belongs to chain ${chainLabel(ep.chainId)}, not ${chainLabel(chainId)}`);
        });
        order[key] = list;
      }
      config.order = order;
    }
  }

  // Infrastructure corrections.
  if (has(value, 'infrastructure')) {
    const raw = value.infrastructure;
    if (!isObject(raw)) {
      err(ctx, 'infrastructure', `must be an object of endpoint id → infrastructure, e.g. {"1:publicnode": "aws"} (got ${typeName(raw)})`);
    } else {
      const out: Record<string, Infrastructure> = {};
      for (const key of Object.keys(raw)) {
        const path = mapKeyPath('infrastructure', key);
        const v = raw[key];
        if (typeof v !== 'string' || !(INFRASTRUCTURES as readonly string[]).includes(v)) {
          err(ctx, path, `must be one of ${INFRASTRUCTURES.join(', ')} (got ${typeof v === 'string' ? JSON.stringify(v) : typeName(v)})`);
          continue;
        }
        if (!resolveRef(key, known)) warn(ctx, path, `no endpoint "${key}" (ignored)`);
        out[key] = v as Infrastructure;
      }
      config.infrastructure = out;
    }
  }

  // Policy.
  let globalPolicy: PolicyOverrides = {};
  if (has(value, 'policy')) {
    const p = validatePolicy(ctx, value.policy, 'policy');
    if (p) {
      config.policy = p;
      globalPolicy = p;
      checkPolicyOrder(ctx, p, (k) => `policy.${k}`);
    }
  }
  if (has(value, 'chainPolicy')) {
    const raw = value.chainPolicy;
    if (!isObject(raw)) {
      err(ctx, 'chainPolicy', `must be an object of chain id → policy overrides, e.g. {"137": {"lagToleranceBlocks": 5}} (got ${typeName(raw)})`);
    } else {
      const out: Record<string, PolicyOverrides> = {};
      for (const key of Object.keys(raw)) {
        const path = mapKeyPath('chainPolicy', key);
        if (parseChainKey(key) === null) {
          err(ctx, path, `key must be a decimal chain id such as "1" (got ${JSON.stringify(key)})`);
          continue;
        }
        const p = validatePolicy(ctx, raw[key], path);
        if (!p) continue;
        out[key] = p;
        const merged = { ...globalPolicy, ...p };
        checkPolicyOrder(ctx, merged, (k) => (has(p, k) ? `${path}.${k}` : `policy.${k}`));
      }
      config.chainPolicy = out;
    }
  }

  // Privacy.
  if (has(value, 'privacy')) {
    const raw = value.privacy;
    if (!isObject(raw)) {
      err(ctx, 'privacy', `must be an object like {"hideTracking": true} (got ${typeName(raw)})`);
    } else {
      rejectUnknownKeys(ctx, raw, PRIVACY_KEYS, 'privacy');
      const privacy: NonNullable<UserConfig['privacy']> = {};
      if (has(raw, 'hideTracking')) {
        if (typeof raw.hideTracking !== 'boolean') err(ctx, 'privacy.hideTracking', `must be true or false (got ${typeName(raw.hideTracking)})`);
        else privacy.hideTracking = raw.hideTracking;
      }
      config.privacy = privacy;
      if (privacy.hideTracking) {
        enabled?.forEach((ref, i) => {
          if (resolveRef(ref, known)?.privacy === 'yes') {
            warn(ctx, `enabledEndpoints[${i}]`, `"${ref}" tracks users and privacy.hideTracking hides it`);
          }
        });
      }
    }
  }

  return config;
}

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
