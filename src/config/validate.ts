/**
 * Validates a parsed configuration file. Never throws and reports every problem with a precise
 * path, because the file is hand-edited and "invalid config" with no detail is useless.
 */
import { INFRASTRUCTURES, PRIVACY_LABELS, type Endpoint, type Infrastructure } from '../types.ts';
import { CONFIG_POLICY } from '../policy/config.ts';
import { VERIFICATION_MODES } from '../policy/verify.ts';
import { isKnownChain } from '../registry/chains.ts';
import { DEFAULT_ENDPOINTS } from '../registry/defaults.ts';
import { recognizeRpcUrl } from '../registry/primaries.ts';
import { normalizeRpcUrl } from '../registry/url.ts';
import {
  POLICY_KNOBS,
  POLICY_KNOB_NAMES,
  POLICY_KNOB_ORDER,
  isPolicyKnobName,
  type PolicyKnob,
  type PolicyOverrides,
} from './policy-overrides.ts';
import { chainLabel, isOneOf, keyPath, mapKeyPath, mustBeOneOf, typeName, unknownKeyMessage } from './messages.ts';
import { resolveEndpointRef } from './references.ts';
import {
  ENDPOINT_KEYS,
  PRIVACY_KEYS,
  TOP_KEYS,
  USER_CONFIG_VERSION,
  type ConfigIssue,
  type ConfigValidation,
  type UserConfig,
  type UserEndpointConfig,
} from './schema.ts';
import { checkEndpointUrl, toUserEndpoint } from './user-endpoints.ts';
import { isRecord } from '../types.ts';

export interface ValidateOptions {
  /** The registry references are checked against; defaults to the shipped one. */
  defaults?: readonly Endpoint[];
}

type Obj = Record<string, unknown>;

const has = (o: Obj, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** A canonical decimal chain id used as an object key ("1", "8453"). */
function parseChainKey(key: string): number | null {
  if (!/^[1-9][0-9]{0,15}$/.test(key)) return null;
  const n = Number(key);
  return Number.isSafeInteger(n) ? n : null;
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

/** An optional field from a closed vocabulary: undefined when absent, null (reported) when not allowed. */
function optionalOneOf<T extends string>(ctx: Ctx, raw: Obj, key: string, allowed: readonly T[], parent: string): T | null | undefined {
  if (!has(raw, key)) return undefined;
  const v = raw[key];
  if (isOneOf(allowed, v)) return v;
  err(ctx, `${parent}.${key}`, mustBeOneOf(allowed, v));
  return null;
}

function validateEndpoint(ctx: Ctx, raw: unknown, path: string): UserEndpointConfig | null {
  if (!isRecord(raw)) {
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
    } else if (label.trim().length === 0 || label.trim().length > CONFIG_POLICY.maxEndpointLabelLength) {
      err(ctx, `${path}.label`, `must be 1 to ${CONFIG_POLICY.maxEndpointLabelLength} characters`);
      ok = false;
    } else if (/[\u0000-\u001f\u007f]/.test(label)) {
      err(ctx, `${path}.label`, 'must not contain control characters');
      ok = false;
    } else {
      out.label = label.trim();
    }
  }
  const infrastructure = optionalOneOf(ctx, raw, 'infrastructure', INFRASTRUCTURES, path);
  const privacy = optionalOneOf(ctx, raw, 'privacy', PRIVACY_LABELS, path);
  if (infrastructure === null || privacy === null) ok = false;
  if (infrastructure) out.infrastructure = infrastructure;
  if (privacy) out.privacy = privacy;
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
  if (!isRecord(raw)) {
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
  if (!isRecord(value)) {
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
  const own = has(value, 'endpoints') ? validateEndpoints(ctx, value.endpoints) : null;
  if (own) config.endpoints = own;
  // References may name own endpoints as well as defaults.
  const known: Endpoint[] = [...(own ?? []).map(toUserEndpoint), ...ctx.defaults];

  const disabled = has(value, 'disabledEndpoints') ? validateStringList(ctx, value.disabledEndpoints, 'disabledEndpoints') : null;
  if (disabled) config.disabledEndpoints = disabled;
  const enabled = has(value, 'enabledEndpoints') ? validateStringList(ctx, value.enabledEndpoints, 'enabledEndpoints') : null;
  if (enabled) config.enabledEndpoints = enabled;
  checkOnOffReferences(ctx, known, disabled, enabled);

  if (has(value, 'order')) {
    const order = validateOrder(ctx, value.order, known);
    if (order) config.order = order;
  }
  if (has(value, 'infrastructure')) {
    const infrastructure = validateInfrastructureMap(ctx, value.infrastructure, known);
    if (infrastructure) config.infrastructure = infrastructure;
  }

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
    const chainPolicy = validateChainPolicy(ctx, value.chainPolicy, globalPolicy);
    if (chainPolicy) config.chainPolicy = chainPolicy;
  }

  if (has(value, 'privacy')) {
    const privacy = validatePrivacy(ctx, value.privacy);
    if (privacy) {
      config.privacy = privacy;
      if (privacy.hideTracking) {
        enabled?.forEach((ref, i) => {
          if (resolveEndpointRef(ref, known)?.privacy === 'yes') {
            warn(ctx, `enabledEndpoints[${i}]`, `"${ref}" tracks users and privacy.hideTracking hides it`);
          }
        });
      }
    }
  }

  if (has(value, 'verification')) {
    const mode = value.verification;
    if (isOneOf(VERIFICATION_MODES, mode)) config.verification = mode;
    else err(ctx, 'verification', mustBeOneOf(VERIFICATION_MODES, mode));
  }

  return config;
}

/** The own endpoints that are valid (each also checked against the others and the defaults). */
function validateEndpoints(ctx: Ctx, raw: unknown): UserEndpointConfig[] | null {
  if (!Array.isArray(raw)) {
    err(ctx, 'endpoints', `must be an array (got ${typeName(raw)})`);
    return null;
  }
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
  });
  return list;
}

function checkOnOffReferences(ctx: Ctx, known: readonly Endpoint[], disabled: string[] | null, enabled: string[] | null): void {
  disabled?.forEach((ref, i) => {
    if (!resolveEndpointRef(ref, known)) warn(ctx, `disabledEndpoints[${i}]`, `no endpoint "${ref}" (ignored; ids look like "1:drpc")`);
  });
  enabled?.forEach((ref, i) => {
    const path = `enabledEndpoints[${i}]`;
    const ep = resolveEndpointRef(ref, known);
    if (!ep) warn(ctx, path, `no endpoint "${ref}" (ignored; ids look like "1:lava")`);
    else if (disabled?.some((d) => resolveEndpointRef(d, known) === ep)) err(ctx, path, `"${ref}" is also in disabledEndpoints; keep it in one list`);
    else if (ep.enabled) warn(ctx, path, `"${ref}" is already enabled by default`);
  });
}

function validateOrder(ctx: Ctx, raw: unknown, known: readonly Endpoint[]): Record<string, string[]> | null {
  if (!isRecord(raw)) {
    err(ctx, 'order', `must be an object of chain id → list of endpoint ids, e.g. {"1": ["1:drpc"]} (got ${typeName(raw)})`);
    return null;
  }
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
      const ep = resolveEndpointRef(ref, known);
      if (!ep) warn(ctx, `${path}[${i}]`, `no endpoint "${ref}" (ignored)`);
      else if (ep.chainId !== chainId) err(ctx, `${path}[${i}]`, `"${ref}" belongs to chain ${chainLabel(ep.chainId)}, not ${chainLabel(chainId)}`);
    });
    order[key] = list;
  }
  return order;
}

function validateInfrastructureMap(ctx: Ctx, raw: unknown, known: readonly Endpoint[]): Record<string, Infrastructure> | null {
  if (!isRecord(raw)) {
    err(ctx, 'infrastructure', `must be an object of endpoint id → infrastructure, e.g. {"1:publicnode": "aws"} (got ${typeName(raw)})`);
    return null;
  }
  const out: Record<string, Infrastructure> = {};
  for (const key of Object.keys(raw)) {
    const path = mapKeyPath('infrastructure', key);
    const v = raw[key];
    if (!isOneOf(INFRASTRUCTURES, v)) {
      err(ctx, path, mustBeOneOf(INFRASTRUCTURES, v));
      continue;
    }
    if (!resolveEndpointRef(key, known)) warn(ctx, path, `no endpoint "${key}" (ignored)`);
    out[key] = v;
  }
  return out;
}

/** Per-chain overrides; ordered pairs are checked against the chain's values over the global ones. */
function validateChainPolicy(ctx: Ctx, raw: unknown, globalPolicy: PolicyOverrides): Record<string, PolicyOverrides> | null {
  if (!isRecord(raw)) {
    err(ctx, 'chainPolicy', `must be an object of chain id → policy overrides, e.g. {"137": {"lagToleranceBlocks": 5}} (got ${typeName(raw)})`);
    return null;
  }
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
  return out;
}

function validatePrivacy(ctx: Ctx, raw: unknown): NonNullable<UserConfig['privacy']> | null {
  if (!isRecord(raw)) {
    err(ctx, 'privacy', `must be an object like {"hideTracking": true} (got ${typeName(raw)})`);
    return null;
  }
  rejectUnknownKeys(ctx, raw, PRIVACY_KEYS, 'privacy');
  const privacy: NonNullable<UserConfig['privacy']> = {};
  if (has(raw, 'hideTracking')) {
    if (typeof raw.hideTracking !== 'boolean') err(ctx, 'privacy.hideTracking', `must be true or false (got ${typeName(raw.hideTracking)})`);
    else privacy.hideTracking = raw.hideTracking;
  }
  return privacy;
}
