import { describe, expect, it } from 'vitest';
import { ROUTABLE_READS, blockNumberFromAnswer, checkLogRange, classifyMethod, lagClassFor, logRangeNeedsHead, validateRawTransactionParams, validateReadParams } from './methods.ts';

const ADDRESS = '0x' + 'ab'.repeat(20);
const HASH = '0x' + 'cd'.repeat(32);

describe('classifyMethod', () => {
  it('does not mistake Object.prototype keys for reads (pages send arbitrary method names)', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(classifyMethod(name)).toBe('unsupported');
    }
  });

  it('every read a guard may relay by name is a read the worker validates and routes', () => {
    for (const method of ROUTABLE_READS) {
      expect(classifyMethod(method), method).toBe('read');
      expect(validateReadParams(method, 'not an array')?.code, method).toBe(-32602);
    }
  });

  it.each(['eth_accounts', 'eth_requestAccounts', 'eth_sendTransaction', 'eth_sign', 'personal_sign', 'eth_signTypedData_v4', 'wallet_switchEthereumChain', 'wallet_addEthereumChain', 'eth_coinbase'])(
    '%s is wallet-only',
    (method) => expect(classifyMethod(method)).toBe('wallet-only'),
  );
  it.each(['eth_blockNumber', 'eth_getBalance', 'eth_call', 'eth_estimateGas', 'eth_getLogs', 'eth_getTransactionReceipt', 'eth_feeHistory', 'net_version'])('%s is a read', (method) =>
    expect(classifyMethod(method)).toBe('read'),
  );
  it('knows the broadcast, the local answer and refuses the rest', () => {
    expect(classifyMethod('eth_sendRawTransaction')).toBe('broadcast');
    expect(classifyMethod('eth_chainId')).toBe('local');
    expect(classifyMethod('eth_newFilter')).toBe('unsupported');
    expect(classifyMethod('eth_subscribe')).toBe('unsupported');
    expect(classifyMethod('debug_traceTransaction')).toBe('unsupported');
  });
});

describe('validateReadParams', () => {
  it('accepts well-formed calls', () => {
    expect(validateReadParams('eth_getBalance', [ADDRESS, 'latest'])).toBeUndefined();
    expect(validateReadParams('eth_getBalance', [ADDRESS, { blockHash: HASH }])).toBeUndefined();
    expect(validateReadParams('eth_call', [{ to: ADDRESS, data: '0x70a08231' }, 'latest'])).toBeUndefined();
    expect(validateReadParams('eth_call', [{ to: ADDRESS, data: '0x' }, 'latest', { [ADDRESS]: { balance: '0x1' } }])).toBeUndefined();
    expect(validateReadParams('eth_blockNumber', [])).toBeUndefined();
    expect(validateReadParams('eth_blockNumber', undefined)).toBeUndefined();
    expect(validateReadParams('eth_feeHistory', ['0x4', 'latest', [25, 75]])).toBeUndefined();
    expect(validateReadParams('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x2', address: [ADDRESS], topics: [null, HASH] }])).toBeUndefined();
  });
  it.each([
    ['eth_getBalance', ['0x1234', 'latest'], 'first parameter must be a 20-byte hex address'],
    ['eth_getBalance', [ADDRESS, 'newest'], 'second parameter must be a block number'],
    ['eth_getBalance', [], 'expected 1 to 2 parameters, got 0'],
    ['eth_getTransactionReceipt', ['0x12'], 'must be a 32-byte hex hash'],
    ['eth_call', ['0xdeadbeef'], 'must be a call object'],
    ['eth_call', [{ to: ADDRESS, data: '0xabc' }], '"data"/"input" that is not hex data'],
    ['eth_getBlockByNumber', ['latest'], 'expected 2 parameters, got 1'],
    ['eth_getLogs', [{ blockHash: HASH, fromBlock: '0x1' }], 'cannot combine "blockHash"'],
    ['eth_blockNumber', { a: 1 }, 'params must be an array'],
  ])('%s %j → -32602 mentioning %s', (method, params, message) => {
    const error = validateReadParams(method, params);
    expect(error?.code).toBe(-32602);
    expect(error?.message).toContain(message);
    expect(error?.message).toContain(method);
  });
});

describe('lagClassFor', () => {
  it('follows dshackle classes and lets explicit blocks pin the answer', () => {
    expect(lagClassFor('eth_getBalance', [ADDRESS, 'latest'])).toBe('head');
    expect(lagClassFor('eth_getBalance', [ADDRESS])).toBe('head');
    expect(lagClassFor('eth_getBalance', [ADDRESS, '0x10'])).toBe('none');
    expect(lagClassFor('eth_getBalance', [ADDRESS, { blockHash: HASH }])).toBe('none');
    expect(lagClassFor('eth_call', [{ to: ADDRESS }, 'pending'])).toBe('execution');
    expect(lagClassFor('eth_getTransactionReceipt', [HASH])).toBe('block');
    // A lagging node answers null for a block it has not seen, so this stays lag-sensitive.
    expect(lagClassFor('eth_getBlockByNumber', ['0x10', false])).toBe('block');
    expect(lagClassFor('net_version', [])).toBe('none');
  });
});

describe('eth_getLogs ranges', () => {
  it('accepts bounded ranges and refuses wide or unknowable ones', () => {
    expect(checkLogRange([{ fromBlock: '0x0', toBlock: '0x3e8' }], undefined, 1000)).toBeUndefined();
    expect(checkLogRange([{ fromBlock: '0x0', toBlock: '0x3e9' }], undefined, 1000)?.message).toContain('1001 blocks exceeds 1000');
    expect(checkLogRange([{}], undefined, 1000)).toBeUndefined();
    expect(checkLogRange([{ blockHash: HASH }], undefined, 1000)).toBeUndefined();
    expect(checkLogRange([{ fromBlock: 'earliest' }], 5_000, 1000)?.code).toBe(-32602);
    expect(checkLogRange([{ fromBlock: '0x64' }], undefined, 1000)?.message).toContain('must be bounded');
    expect(checkLogRange([{ fromBlock: '0x64' }], 500, 1000)).toBeUndefined();
    expect(logRangeNeedsHead([{ fromBlock: '0x64' }])).toBe(true);
    expect(logRangeNeedsHead([{ fromBlock: '0x64', toBlock: '0x65' }])).toBe(false);
  });
});

describe('blockNumberFromAnswer / raw transaction params', () => {
  it('extracts head evidence from answers', () => {
    expect(blockNumberFromAnswer('eth_blockNumber', [], '0x10')).toBe(16);
    expect(blockNumberFromAnswer('eth_getBlockByNumber', ['latest', false], { number: '0x11' })).toBe(17);
    expect(blockNumberFromAnswer('eth_getBlockByNumber', ['0x5', false], { number: '0x5' })).toBeUndefined();
  });
  it('requires one hex transaction', () => {
    expect(validateRawTransactionParams(['0x02f8'])).toBeUndefined();
    expect(validateRawTransactionParams([])?.code).toBe(-32602);
    expect(validateRawTransactionParams(['0x2f8'])?.code).toBe(-32602);
  });
});
