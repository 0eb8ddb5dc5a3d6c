/** Messages about pages' own RPC traffic and redirects. Part of the one protocol in
 *  extension/messages.ts. */
export interface PageTrafficProtocol {}
