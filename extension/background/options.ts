/**
 * The options page's worker side: the stored configuration is only ever written here, after
 * parseUserConfig accepted it (the page's own checks are a convenience, never trusted).
 */
import { onMessage } from '../messages';
import type { OptionsState, SaveConfigAnswer } from '../protocol/options';
import { DEFAULT_ENDPOINTS } from '../../src/registry/defaults';
import { getChain } from '../../src/registry/chains';
import { mergeRegistry } from '../../src/config/merge';
import type { ConfigIssue, UserConfig } from '../../src/config/schema';
import { parseUserConfig, serializeUserConfig } from '../../src/config/serialize';
import { validateUserConfig } from '../../src/config/validate';
import { verifyEndpointChain, type RpcCall } from '../../src/config/verify-chain';
import { local } from './storage';

/** Only Lifeline's own extension pages (options, popup) may read or change the configuration. */
function fromOwnPage(sender: chrome.runtime.MessageSender): boolean {
  if (sender.id !== chrome.runtime.id) return false;
  if (typeof sender.url === 'string') return sender.url.startsWith(chrome.runtime.getURL(''));
  return !sender.tab;
}

function guard(sender: chrome.runtime.MessageSender, name: string): void {
  if (!fromOwnPage(sender)) throw new Error(`${name} is for Lifeline pages only`);
}

async function storedConfig(): Promise<UserConfig | null> {
  const stored = await local.get('userConfig');
  if (stored === null || stored === undefined) return null;
  const checked = validateUserConfig(stored);
  return checked.ok ? checked.config : null;
}

async function state(): Promise<OptionsState> {
  const [config, notificationsEnabled] = await Promise.all([storedConfig(), local.get('notificationsEnabled')]);
  const endpoints = mergeRegistry(DEFAULT_ENDPOINTS, config ?? undefined);
  const chainNames: Record<number, string> = {};
  for (const id of Object.keys(endpoints)) chainNames[Number(id)] = getChain(Number(id))?.name ?? `Chain ${id}`;
  return { text: config ? serializeUserConfig(config) : null, config, endpoints, chainNames, notificationsEnabled };
}

/** One JSON-RPC call with the worker's fetch; rejects on HTTP and JSON-RPC errors. */
const rpcCall: RpcCall = async (url, method, params, signal) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal,
    credentials: 'omit',
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = (await response.json()) as { result?: unknown; error?: { message?: unknown } };
  if (body.error) throw new Error(`JSON-RPC error: ${String(body.error.message ?? 'unknown')}`);
  return body.result;
};

/** Chain checks of endpoints a save adds: shorter than the add form's 10 s so an import of a
 *  file naming an offline node still answers promptly (that node is then saved with a warning). */
const SAVE_VERIFY_TIMEOUT_MS = 5_000;

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
    const result = await verifyEndpointChain({ chainId: e.chainId, url: e.url }, rpcCall, { timeoutMs: SAVE_VERIFY_TIMEOUT_MS });
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
  onMessage('getConfig', ({ sender }) => {
    guard(sender, 'getConfig');
    return state();
  });
  onMessage('saveConfig', async ({ data, sender }): Promise<SaveConfigAnswer> => {
    guard(sender, 'saveConfig');
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
  onMessage('verifyEndpoint', ({ data, sender }) => {
    guard(sender, 'verifyEndpoint');
    return verifyEndpointChain({ chainId: Number(data.chainId), url: String(data.url) }, rpcCall);
  });
  onMessage('setNotifications', async ({ data, sender }) => {
    guard(sender, 'setNotifications');
    await local.set('notificationsEnabled', data.enabled === true);
    return state();
  });
}
