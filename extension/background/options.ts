/**
 * The options page's worker side: the stored configuration is only ever written here, after
 * parseUserConfig accepted it (the page's own checks are a convenience, never trusted).
 */
import { onMessage } from '../messages';
import type { OptionsState, SaveConfigAnswer } from '../protocol/options';
import { DEFAULT_ENDPOINTS } from '../../src/registry/defaults';
import { getChain } from '../../src/registry/chains';
import { mergeRegistry } from '../../src/config/merge';
import { parseUserConfig, serializeUserConfig, validateUserConfig, type UserConfig } from '../../src/config/user-config';
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
    if (!(await local.set('userConfig', checked.config))) {
      return { ok: false, errors: [{ path: '', message: 'could not write to extension storage' }], warnings: checked.warnings };
    }
    return { ok: true, state: await state(), warnings: checked.warnings };
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
