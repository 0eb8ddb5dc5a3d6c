/**
 * The options page's worker side: the stored configuration is only ever written here, after
 * parseUserConfig accepted it (the page's own checks are a convenience, never trusted). Only
 * Lifeline's own pages may read or change it.
 */
import type { OptionsState, SaveConfigAnswer } from '../protocol/options';
import { DEFAULT_ENDPOINTS } from '../../src/registry/defaults';
import { chainName } from '../../src/registry/chains';
import { mergeRegistry } from '../../src/config/merge';
import type { ConfigIssue, UserConfig } from '../../src/config/schema';
import { parseUserConfig, serializeUserConfig } from '../../src/config/serialize';
import { verifyEndpointChain, type RpcCall } from '../../src/config/verify-chain';
import { callJsonRpc } from '../../src/net/http';
import { SHELL_POLICY } from '../../src/policy/index';
import { local } from './lib/storage';
import { loadConfig } from './engine-host';
import { onOwnPageMessage } from './lib/own-pages';

async function storedConfig(): Promise<UserConfig | null> {
  return (await loadConfig()) ?? null;
}

async function state(): Promise<OptionsState> {
  const [config, notificationsEnabled] = await Promise.all([storedConfig(), local.get('notificationsEnabled')]);
  const endpoints = mergeRegistry(DEFAULT_ENDPOINTS, config ?? undefined);
  const chainNames: Record<number, string> = {};
  for (const id of Object.keys(endpoints)) chainNames[Number(id)] = chainName(Number(id));
  return { text: config ? serializeUserConfig(config) : null, config, endpoints, chainNames, notificationsEnabled };
}

/** One JSON-RPC call with the worker's fetch; rejects on HTTP and JSON-RPC errors. */
const rpcCall: RpcCall = (url, method, params, signal) => callJsonRpc(url, method, params, { signal });

const endpointKey = (chainId: number, url: string) => `${chainId} ${url.trim().replace(/\/+$/, '').toLowerCase()}`;

/**
 * Asks every endpoint the new document adds (not in the stored one) which chain it serves. A
 * wrong chain is an error (the file is refused); an unreachable endpoint is a warning, because
 * a user's own node may simply be off while they import their file.
 */
async function verifyNewEndpoints(next: UserConfig, previous: UserConfig | null): Promise<{ errors: ConfigIssue[]; warnings: ConfigIssue[] }> {
  const known = new Set((previous?.endpoints ?? []).map((e) => endpointKey(e.chainId, e.url)));
  const checks = (next.endpoints ?? []).map(async (e, i) => {
    if (known.has(endpointKey(e.chainId, e.url))) return null;
    const result = await verifyEndpointChain({ chainId: e.chainId, url: e.url }, rpcCall, { timeoutMs: SHELL_POLICY.saveVerifyTimeoutMs });
    return { path: `endpoints[${i}].url`, result };
  });
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  for (const c of await Promise.all(checks)) {
    if (!c || c.result.status === 'ok') continue;
    (c.result.status === 'wrong-chain' ? errors : warnings).push({ path: c.path, message: c.result.message });
  }
  return { errors, warnings };
}

export function registerOptions(): void {
  onOwnPageMessage('getConfig', () => state());
  onOwnPageMessage('saveConfig', async ({ data }): Promise<SaveConfigAnswer> => {
    const text = typeof data?.text === 'string' ? data.text : '';
    const checked = parseUserConfig(text);
    if (!checked.ok) return { ok: false, errors: checked.errors, warnings: checked.warnings };
    const chains = await verifyNewEndpoints(checked.config, await storedConfig());
    const warnings = [...checked.warnings, ...chains.warnings];
    if (chains.errors.length > 0) return { ok: false, errors: chains.errors, warnings };
    if (!(await local.set('userConfig', checked.config))) {
      return { ok: false, errors: [{ path: '', message: 'could not write to extension storage' }], warnings };
    }
    return { ok: true, state: await state(), warnings };
  });
  onOwnPageMessage('verifyEndpoint', ({ data }) => verifyEndpointChain({ chainId: Number(data.chainId), url: String(data.url) }, rpcCall));
  onOwnPageMessage('setNotifications', async ({ data }) => {
    await local.set('notificationsEnabled', data.enabled === true);
    return state();
  });
}
