/**
 * Is a request body JSON-RPC? Runs in the worker's webRequest listener for every page POST, on
 * bytes a web page chose, so it is bounded (size), cheap to reject (first byte) and never throws.
 */
import { PAGE_TRAFFIC } from '../policy/index.ts';

/** One part of `chrome.webRequest` `requestBody.raw`. */
export interface RawBodyPart {
  bytes?: ArrayBuffer | ArrayBufferView;
  file?: string;
}

export type SniffResult =
  | { kind: 'jsonrpc'; methods: string[]; batch: boolean }
  | { kind: 'not-jsonrpc' }
  /** Could be JSON-RPC but was not read: no raw bytes given, or more than the size bound. */
  | { kind: 'unreadable'; reason: 'no-body' | 'too-large' };


function toBytes(part: RawBodyPart): Uint8Array | null {
  const b = part.bytes;
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  if (b && ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return null;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Method name of one JSON-RPC 2.0 request object, or null if it is not one. */
function methodOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (v.jsonrpc !== '2.0' || typeof v.method !== 'string') return null;
  if (v.method.length === 0 || v.method.length > PAGE_TRAFFIC.maxSniffedMethodChars) return null;
  if (v.params !== undefined && (typeof v.params !== 'object' || v.params === null)) return null;
  return v.method;
}

export function sniffJsonRpc(parts: readonly RawBodyPart[] | undefined, maxBytes: number): SniffResult {
  if (!parts || parts.length === 0) return { kind: 'unreadable', reason: 'no-body' };
  if (parts.some((p) => p.file !== undefined)) return { kind: 'not-jsonrpc' };
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (const part of parts) {
    const bytes = toBytes(part);
    if (!bytes) continue;
    total += bytes.byteLength;
    if (total > maxBytes) return { kind: 'unreadable', reason: 'too-large' };
    chunks.push(bytes);
  }
  if (total === 0) return { kind: 'unreadable', reason: 'no-body' };

  // Cheap rejection before decoding: JSON-RPC starts with '{' or '['.
  let first = -1;
  outer: for (const chunk of chunks) {
    for (const byte of chunk) {
      if (WHITESPACE.has(byte)) continue;
      first = byte;
      break outer;
    }
  }
  if (first !== 0x7b && first !== 0x5b) return { kind: 'not-jsonrpc' };

  let text: string;
  try {
    const joined = chunks.length === 1 ? chunks[0]! : concat(chunks, total);
    text = decoder.decode(joined);
  } catch {
    return { kind: 'not-jsonrpc' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'not-jsonrpc' };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: 'not-jsonrpc' };
    const methods = new Set<string>();
    for (const item of value) {
      const method = methodOf(item);
      if (method === null) return { kind: 'not-jsonrpc' };
      if (methods.size < PAGE_TRAFFIC.maxSniffedMethods) methods.add(method);
    }
    return { kind: 'jsonrpc', methods: [...methods], batch: true };
  }
  const method = methodOf(value);
  return method === null ? { kind: 'not-jsonrpc' } : { kind: 'jsonrpc', methods: [method], batch: false };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** EVM JSON-RPC namespaces. Other JSON-RPC 2.0 APIs (Solana, WalletConnect relays, app APIs)
 *  use other method names and are not Lifeline's business. */
export function hasEvmMethod(methods: readonly string[]): boolean {
  return methods.some((m) => /^(eth|net|web3)_/.test(m));
}
