/**
 * eth_call proven by execution: the endpoint's answer at a verified header is compared with the
 * same call run locally over state fetched with proofs (eth_createAccessList's guess first, then
 * whatever the execution found missing). Reverts are compared by their data. When the answer and
 * the execution differ, a second endpoint settles who is wrong: if it agrees with the execution
 * the first endpoint lied; if it agrees with the first, the local EVM is the odd one out and the
 * read is served unproven rather than accusing two endpoints.
 */
import type { Clock } from '../clock.ts';
import type { JsonRpcErrorObject } from '../rpc/jsonrpc.ts';
import type { RouteOptions, RouteResult, RpcCall } from '../router/index.ts';
import { VERIFY_POLICY } from '../policy/index.ts';
import { isRecord } from '../types.ts';
import type { VerifiedHeader } from './header.ts';
import type { HeaderSource } from './header-source.ts';
import type { VerificationMarks } from './marks.ts';
import { type VerifyNetwork, blockTag } from './network.ts';
import { type CallRequest, type ExecutionOutcome, executeCall } from './evm-run.ts';
import { type ProvenAccount, slotKey } from './proof.ts';
import { ADDRESS, type Verifier, blockRefOf } from './verifier.ts';

export interface CallDeps {
  verifier: Verifier;
  network: VerifyNetwork;
  headers: HeaderSource;
  marks: VerificationMarks;
  clock: Clock;
}

const HEX = /^0x([0-9a-fA-F]{2})*$/;

/** What an endpoint (or the execution) says the call does: returns data, or reverts with data. */
type CallClaim = { reverted: false; data: string } | { reverted: true; data: string; error: JsonRpcErrorObject };

function parseCallRequest(tx: unknown): CallRequest | undefined {
  if (!isRecord(tx) || typeof tx.to !== 'string' || !ADDRESS.test(tx.to)) return undefined;
  const data = tx.data ?? tx.input ?? '0x';
  if (typeof data !== 'string' || !HEX.test(data)) return undefined;
  const big = (value: unknown): bigint | undefined | null => {
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' && /^0x[0-9a-fA-F]+$/.test(value) ? BigInt(value) : null;
  };
  const value = big(tx.value);
  const gas = big(tx.gas);
  const gasPrice = big(tx.gasPrice ?? tx.maxFeePerGas);
  if (value === null || gas === null || gasPrice === null) return undefined;
  if (tx.from !== undefined && (typeof tx.from !== 'string' || !ADDRESS.test(tx.from))) return undefined;
  return {
    ...(typeof tx.from === 'string' ? { from: tx.from.toLowerCase() } : {}),
    to: tx.to.toLowerCase(),
    data: data.toLowerCase(),
    value: value ?? 0n,
    ...(gas !== undefined ? { gas } : {}),
    gasPrice: gasPrice ?? 0n,
  };
}

/** An endpoint's eth_call answer as a claim; undefined when it is neither a result nor a revert with data. */
function claimOf(answer: RouteResult): CallClaim | undefined {
  if (answer.ok) return typeof answer.result === 'string' && HEX.test(answer.result) ? { reverted: false, data: answer.result.toLowerCase() } : undefined;
  if (answer.meta.source !== 'endpoint') return undefined;
  const data = answer.error.data;
  const revertData = typeof data === 'string' ? data : isRecord(data) && typeof data.data === 'string' ? data.data : undefined;
  if (revertData === undefined || !HEX.test(revertData)) {
    // A revert without data (plain "execution reverted") is still a revert: data "0x".
    return /revert/i.test(answer.error.message) ? { reverted: true, data: '0x', error: answer.error } : undefined;
  }
  return { reverted: true, data: revertData.toLowerCase(), error: answer.error };
}

const sameClaim = (a: CallClaim, b: { reverted: boolean; data: string }) => a.reverted === b.reverted && a.data === b.data.toLowerCase();

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/** Code is immutable for its hash: proven once, it serves every later call. */
const codeByHash = new Map<string, string>();

/**
 * Proves every needed account and slot not proven yet (all in parallel), with its code; false
 * when one cannot be proven. `earlier` is a fetch already under way whose results are taken over.
 */
async function fetchProven(
  verifier: Verifier,
  chainId: number,
  header: VerifiedHeader,
  needed: ReadonlyMap<string, ReadonlySet<string>>,
  accounts: Map<string, ProvenAccount>,
  codes: Map<string, string>,
  routeOptions: RouteOptions,
  earlier?: Promise<{ accounts: Map<string, ProvenAccount>; codes: Map<string, string> } | undefined>,
): Promise<{ accounts: Map<string, ProvenAccount>; codes: Map<string, string> } | undefined> {
  const taken = earlier ? await earlier : undefined;
  if (taken) {
    for (const [address, account] of taken.accounts) if (!accounts.has(address)) accounts.set(address, account);
    for (const [address, code] of taken.codes) codes.set(address, code);
  }
  const fetches: Promise<boolean>[] = [];
  for (const [address, slots] of needed) {
    const have = accounts.get(address);
    const missing = [...slots].filter((slot) => !have?.storage.has(slot));
    if (have && missing.length === 0) continue;
    fetches.push(
      (async () => {
        const proven = await verifier.proveAccount(chainId, header, address, missing, 'eth_call', routeOptions);
        if (!proven) return false;
        const account = proven.value;
        const before = accounts.get(address);
        if (before) for (const [slot, value] of before.storage) account.storage.set(slot, value);
        accounts.set(address, account);
        if (!codes.has(address)) {
          const known = codeByHash.get(account.codeHash);
          const code = known ?? (await verifier.proveCode(chainId, header, account, 'eth_call', routeOptions));
          if (code === undefined) return false;
          if (!known && codeByHash.size < VERIFY_POLICY.codeCacheSize) codeByHash.set(account.codeHash, code);
          codes.set(address, code);
        }
        return true;
      })(),
    );
  }
  return (await Promise.all(fetches)).every(Boolean) ? { accounts, codes } : undefined;
}

/** Per call (chain, callee, calldata): the accounts and slots its last execution needed, oldest out first. */
const touchedBefore = new Map<string, Map<string, Set<string>>>();
function remember(key: string, needed: ReadonlyMap<string, ReadonlySet<string>>) {
  touchedBefore.delete(key);
  touchedBefore.set(key, new Map([...needed].map(([address, slots]) => [address, new Set(slots)])));
  while (touchedBefore.size > VERIFY_POLICY.rememberedCalls) touchedBefore.delete(touchedBefore.keys().next().value as string);
}

/** Endpoints found not to answer eth_createAccessList: not asked again (ganache has none). */
const noAccessList = new Set<string>();

export async function proveCall(deps: CallDeps, chainId: number, call: RpcCall, routeOptions: RouteOptions, startedAt: number): Promise<RouteResult | undefined> {
  const { network, headers, marks, clock } = deps;
  const params = Array.isArray(call.params) ? call.params : [];
  // State overrides make it a different question than the chain's: nothing to prove it against.
  if (params.length > 2) return undefined;
  const request = parseCallRequest(params[0]);
  const ref = blockRefOf(params[1]);
  if (!request || !ref) return undefined;
  const found = await headers.header(chainId, ref);
  if (!found.ok) return undefined;
  const header = found.header;
  const tag = blockTag(header.number);
  const pinned = [params[0], tag];

  // The endpoint's answer and the proofs the call surely needs are fetched side by side.
  const answering = network.request(chainId, { method: 'eth_call', params: pinned }, routeOptions);
  const executing = answering.then((answer) => answer.meta.endpointId);
  const [answer, outcome] = await Promise.all([answering, execute(deps, chainId, header, request, executing, routeOptions)]);
  const endpointId = answer.meta.endpointId;
  const claim = claimOf(answer);
  if (endpointId === undefined || !claim || !outcome) return undefined;
  const proven = (result: RouteResult): RouteResult => ({ ...result, meta: { ...result.meta, method: call.method, elapsedMs: clock.now() - startedAt, verification: 'proven' } });
  if (sameClaim(claim, outcome)) return proven(answer);

  // They differ: a second endpoint's answer decides who is wrong.
  const second = await network.request(chainId, { method: 'eth_call', params: pinned }, { ...routeOptions, excludeEndpoints: [...(routeOptions.excludeEndpoints ?? []), endpointId] });
  const secondClaim = claimOf(second);
  if (!secondClaim || second.meta.endpointId === undefined || !sameClaim(secondClaim, outcome)) return undefined;
  marks.failed({ endpointId, chainId, method: 'eth_call', block: String(header.number), reason: `eth_call ${claim.reverted ? 'reverted with' : 'returned'} ${claim.data.slice(0, 42)}, execution over proven state ${outcome.reverted ? 'reverts with' : 'returns'} ${outcome.data.slice(0, 42)}` });
  return proven(second);
}

/** Runs the call over proven state, fetching what it turns out to need, a bounded number of rounds. */
async function execute(deps: CallDeps, chainId: number, header: VerifiedHeader, request: CallRequest, answeredBy: Promise<string | undefined>, routeOptions: RouteOptions): Promise<ExecutionOutcome | undefined> {
  const { verifier, network } = deps;
  // The callee and the caller (the zero address when none is given) are read by every call.
  const needed = new Map<string, Set<string>>([
    [request.to, new Set()],
    [request.from ?? ZERO_ADDRESS, new Set()],
  ]);
  // What the same call touched last time: a dApp polls the same reads block after block.
  const callKey = `${chainId}:${request.to}:${request.data}`;
  for (const [address, slots] of touchedBefore.get(callKey) ?? []) needed.set(address, new Set([...(needed.get(address) ?? []), ...slots]));
  const first = fetchProven(verifier, chainId, header, needed, new Map(), new Map(), routeOptions);
  // The endpoint that answered is asked what the call touches (where it can say): one more guess.
  const endpointId = await answeredBy;
  if (endpointId !== undefined && !noAccessList.has(endpointId)) {
    const guess = await network.request(chainId, { method: 'eth_createAccessList', params: [{ ...request, value: `0x${request.value.toString(16)}`, gas: undefined, gasPrice: undefined }, blockTag(header.number)] }, { onlyEndpoints: [endpointId] });
    if (guess.ok && isRecord(guess.result) && Array.isArray(guess.result.accessList)) {
      // Only a guess: whatever it leaves out, execution finds missing; whatever it adds costs a proof.
      for (const entry of guess.result.accessList.slice(0, VERIFY_POLICY.maxCallAccounts)) {
        if (!isRecord(entry) || typeof entry.address !== 'string' || !ADDRESS.test(entry.address)) continue;
        const slots = needed.get(entry.address.toLowerCase()) ?? new Set<string>();
        for (const key of Array.isArray(entry.storageKeys) ? entry.storageKeys : []) {
          const slot = slotKey(key);
          if (slot) slots.add(slot);
        }
        needed.set(entry.address.toLowerCase(), slots);
      }
    } else if (!guess.ok) {
      noAccessList.add(endpointId);
    }
  }

  const accounts = new Map<string, ProvenAccount>();
  const codes = new Map<string, string>();
  if (!(await first)) return undefined;
  const firstRound = await fetchProven(verifier, chainId, header, needed, accounts, codes, routeOptions, first);
  if (!firstRound) return undefined;
  for (let round = 0; round < VERIFY_POLICY.maxExecutionRounds; round++) {
    if (round > 0 && !(await fetchProven(verifier, chainId, header, needed, accounts, codes, routeOptions))) return undefined;
    const outcome = await executeCall(chainId, header, [...accounts.values()], codes, request);
    if (outcome.missingAccounts.size === 0 && outcome.missingSlots.size === 0) {
      remember(callKey, needed);
      return outcome.exceptional ? undefined : outcome;
    }
    for (const address of outcome.missingAccounts) if (!needed.has(address)) needed.set(address, new Set());
    for (const [address, slots] of outcome.missingSlots) {
      const set = needed.get(address) ?? new Set<string>();
      for (const slot of slots) set.add(slot);
      needed.set(address, set);
    }
    if (needed.size > VERIFY_POLICY.maxCallAccounts || [...needed.values()].reduce((n, s) => n + s.size, 0) > VERIFY_POLICY.maxCallSlots) return undefined;
  }
  return undefined;
}
