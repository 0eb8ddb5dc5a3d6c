/** The user's configuration file and the options page that edits it (src/config). */
export const CONFIG_POLICY = {
  /** An own endpoint's URL may be this long: room for a provider's key in path and query, while a
   *  pasted blob (a whole file, a data: URL) is refused instead of stored and fetched. */
  maxEndpointUrlLength: 2048,
  /** An own endpoint's label is shown on one line in the popup and the options page. */
  maxEndpointLabelLength: 64,
  /** Asking a new endpoint which chain it serves waits this long, like Rabby's and viem's HTTP
   *  timeouts: a slow but working node still passes. */
  verifyChainTimeoutMs: 10_000,
  /** Nesting the config parser follows: deep enough for any configuration (it nests three levels),
   *  shallow enough that a hostile file cannot overflow the stack. */
  maxJsonDepth: 256,
} as const;
