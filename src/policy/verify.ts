/**
 * Verified reads: how much agreement a block hash needs, how long a lying endpoint sits out, how
 * much work one proven read may cost.
 */
export type VerificationMode = 'off' | 'relayed' | 'all';

export const VERIFICATION_MODES: readonly VerificationMode[] = ['off', 'relayed', 'all'];

export const VERIFY_POLICY = {
  /** Relayed reads are the ones served by endpoints the user never chose: those are checked by default. */
  defaultMode: 'relayed' as VerificationMode,
  /**
   * Endpoints of different providers that must report the same block hash at a height before its
   * header is trusted: two means one endpoint alone can never invent a chain, and it is the most a
   * small chain's public endpoint list reliably offers.
   */
  headerAgreement: 2,
  /**
   * Endpoints asked for a height's hash at most: enough to outvote one minority hash with two
   * honest ones and still reach k, few enough that a chain of liars costs a bounded number of calls.
   */
  maxHeaderAsks: 4,
  /**
   * How long the verified `latest` header stands in for the head: a read this soon after it asks
   * no new agreement round. Well under a mainnet slot (12 s), so "latest" is at most a block old.
   */
  latestHeaderReuseMs: 4_000,
  /** Verified headers kept per chain (by hash and height): a few minutes of blocks on a fast chain. */
  headerCacheSize: 256,
  /**
   * An endpoint whose answer failed verification sits out this long on that chain: a lie is
   * deliberate or a broken node, neither fixed in seconds; ten minutes bounds the cost of a false alarm.
   */
  failedCooldownMs: 10 * 60_000,
  /** Rounds of "execute, fetch the proofs the execution was missing, execute again" for one eth_call. */
  maxExecutionRounds: 4,
  /** Accounts one verified eth_call may fetch proofs for: bounds what a huge access list can cost. */
  maxCallAccounts: 64,
  /** Storage slots one verified eth_call may prove, over all its accounts. */
  maxCallSlots: 512,
  /** Contract codes kept by code hash (immutable for it): the contracts a few dApps call, at most a few MB. */
  codeCacheSize: 256,
  /**
   * Calls whose touched accounts and slots are remembered, so the next identical call fetches its
   * proofs in one round: enough for the reads a few open dApps poll.
   */
  rememberedCalls: 512,
  /**
   * Transactions in a block that a proven transaction or receipt may rebuild: a full mainnet block
   * holds a few hundred; past that (each receipt may cost a call) it is served unproven.
   */
  maxBlockTransactions: 1_000,
  /** Endpoints tried for one verified read before it is served as "not verified". */
  maxVerifyAttempts: 3,
} as const;
