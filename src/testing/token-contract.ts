/**
 * A token-like contract for verified-call tests, assembled by hand so no compiler is needed:
 * `balanceOf(address)` returns `sload(keccak256(abi.encode(holder, 0)))` (a Solidity mapping at
 * slot 0); calldata shorter than a selector and one word reverts with data 0xdeadbeef.
 */
import { keccak256 } from 'ethers';

export const TOKEN_RUNTIME =
  '0x60243610602057600435600052600060205260406000205460005260206000f35b63deadbeef60e01b60005260046000fd';
export const TOKEN_REVERT_DATA = '0xdeadbeef';

const word = (hex: string) => hex.replace(/^0x/, '').toLowerCase().padStart(64, '0');

/** The storage slot holding `holder`'s balance. */
export const balanceSlot = (holder: string): string => keccak256(`0x${word(holder)}${word('0')}`);

/** calldata for balanceOf(holder). */
export const balanceOfData = (holder: string): string => `0x70a08231${word(holder)}`;
