/** The test contract's JSON ABI (e2e/fixtures/test-contract.ts): the one form viem, wagmi, ethers
 *  and web3.js all read. Its own file so the pages bundle it without the fixture's imports. */
export const TEST_CONTRACT_ABI = [
  { type: 'function', name: 'value', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint256' }] },
  { type: 'function', name: 'fail', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint256' }] },
] as const;
