/** Hex ⇄ bytes for proof and header data, via @ethereumjs/util (already a dependency of the trie). */
import { bytesToHex as utilBytesToHex, hexToBytes as utilHexToBytes } from '@ethereumjs/util';

export const hexToBytes = (hex: string): Uint8Array => utilHexToBytes(hex as `0x${string}`);
export const bytesToHex = (bytes: Uint8Array): string => utilBytesToHex(bytes);
/** A 32-byte word as the minimal quantity JSON-RPC uses ("0x0" for zero). */
export const bytesToQuantity = (bytes: Uint8Array): string => {
  let big = 0n;
  for (const byte of bytes) big = (big << 8n) | BigInt(byte);
  return `0x${big.toString(16)}`;
};
