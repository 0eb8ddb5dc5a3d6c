/** The guard's relays over the page channel: what it posts, and which answers settle a relay. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WALLET_HEDGE } from '../../../src/policy/index';
import type { GuardToBridgeMessage, RelayRequestMessage } from '../../protocol/page-channel';
import { createBridgeClient } from './bridge-client';

function client(post: (message: GuardToBridgeMessage) => void = () => {}) {
  const posted: GuardToBridgeMessage[] = [];
  const bridge = createBridgeClient({ postMessage: (message: GuardToBridgeMessage) => (post(message), posted.push(message)) } as unknown as Window);
  const lastRelay = () => posted.filter((m): m is RelayRequestMessage => m.kind === 'relay').at(-1)!;
  return { bridge, posted, lastRelay };
}

const wallet = { name: 'MetaMask' };

beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
afterEach(() => void vi.useRealTimers());

describe('bridge client', () => {
  it('posts the relay and resolves with the answer carrying its id', async () => {
    const { bridge, lastRelay } = client();
    const read = bridge.relay(1, 'eth_blockNumber', [], wallet);
    expect(lastRelay()).toMatchObject({ channel: 'lifeline/v1', kind: 'relay', chainId: 1, method: 'eth_blockNumber', params: [], wallet });
    bridge.settleRelay({ kind: 'relay-result', id: 'someone-else', ok: true, result: '0xforged' });
    bridge.settleRelay({ kind: 'relay-result', id: lastRelay().id, ok: true, result: '0x10' });
    await expect(read).resolves.toBe('0x10');
  });

  it('an error answer keeps whether the chain answered; a malformed one is a plain failure', async () => {
    const { bridge, lastRelay } = client();
    const reverted = bridge.relay(1, 'eth_call', [], wallet);
    bridge.settleRelay({ kind: 'relay-result', id: lastRelay().id, ok: false, error: { code: 3, message: 'execution reverted' }, answered: true });
    await expect(reverted).rejects.toEqual({ error: { code: 3, message: 'execution reverted' }, answered: true });
    const malformed = bridge.relay(1, 'eth_call', [], wallet);
    bridge.settleRelay({ kind: 'relay-result', id: lastRelay().id } as never);
    await expect(malformed).rejects.toMatchObject({ error: { code: -32603 }, answered: false });
  });

  it('gives up when the bridge never answers, and settles once', async () => {
    const { bridge, lastRelay } = client();
    const read = bridge.relay(1, 'eth_blockNumber', [], wallet);
    const outcome = expect(read).rejects.toMatchObject({ error: { message: 'Lifeline: relay timed out' }, answered: false });
    await vi.advanceTimersByTimeAsync(WALLET_HEDGE.relayTimeoutMs);
    await outcome;
    bridge.settleRelay({ kind: 'relay-result', id: lastRelay().id, ok: true, result: '0xlate' });
  });

  it('parameters that cannot be posted are refused at once', async () => {
    const { bridge } = client((message) => {
      if (message.kind === 'relay') throw new DOMException('could not be cloned', 'DataCloneError');
    });
    await expect(bridge.relay(1, 'eth_call', [() => {}], wallet)).rejects.toMatchObject({ error: { code: -32602 }, answered: false });
  });
});
