/**
 * Per-endpoint circuit breaker as pure functions over plain (serialisable) state.
 *
 *   closed ──(3 consecutive failures, or ≥50 % of the last 20)──▶ open(cool-down)
 *   open ──(cool-down elapsed)──▶ half-open: exactly one trial request (probe or real traffic)
 *   half-open ──trial succeeds──▶ closed (cool-down back to 5 s)
 *   half-open ──trial fails──▶ open(cool-down × 2, at most 5 min)
 *
 * A success from any straggling request while open also closes it: the endpoint demonstrably works.
 */
import type { Policy } from '../policy/index.ts';
import { type RingState, emptyRing, failureRatio, pushRing } from './window.ts';

export interface BreakerState {
  status: 'closed' | 'open';
  /** Outcomes since the breaker last closed: 1 success, 0 failure. */
  window: RingState;
  consecutiveFailures: number;
  /** While open: when the cool-down ends and one trial is allowed. */
  openUntil?: number;
  /** Cool-down to use the next time the breaker (re)opens. */
  nextCooldownMs: number;
  /** Cool-down of the current opening (for the UI). */
  cooldownMs?: number;
  /** When the current half-open trial was handed out; not persisted across restarts. */
  trialStartedAt?: number;
}

export type BreakerPhase = 'closed' | 'open' | 'half-open';

export function createBreaker(policy: Policy): BreakerState {
  return { status: 'closed', window: emptyRing(), consecutiveFailures: 0, nextCooldownMs: policy.breaker.initialCooldownMs };
}

export function breakerPhase(state: BreakerState, now: number): BreakerPhase {
  if (state.status === 'closed') return 'closed';
  return now >= (state.openUntil ?? 0) ? 'half-open' : 'open';
}

/** Whether a request may go out now, without taking the half-open trial slot. */
export function breakerAllows(state: BreakerState, now: number, policy: Policy): 'yes' | 'trial' | 'no' {
  const phase = breakerPhase(state, now);
  if (phase === 'closed') return 'yes';
  if (phase === 'open') return 'no';
  const trialBusy = state.trialStartedAt !== undefined && now - state.trialStartedAt < policy.breaker.trialTimeoutMs;
  return trialBusy ? 'no' : 'trial';
}

/** Takes the half-open trial slot (call only when `breakerAllows` said 'trial'). */
export function startTrial(state: BreakerState, now: number): void {
  state.trialStartedAt = now;
}

export function recordBreakerSuccess(state: BreakerState, policy: Policy): void {
  state.consecutiveFailures = 0;
  if (state.status === 'open') {
    state.status = 'closed';
    state.window = emptyRing();
    delete state.openUntil;
    delete state.cooldownMs;
    delete state.trialStartedAt;
    state.nextCooldownMs = policy.breaker.initialCooldownMs;
  }
  pushRing(state.window, 1, policy.breaker.windowSize);
}

/** Records a failure that counts against availability; returns true if the breaker (re)opened. */
export function recordBreakerFailure(state: BreakerState, now: number, policy: Policy): boolean {
  state.consecutiveFailures++;
  if (state.status === 'open') {
    // Only the trial's failure re-opens; stragglers started before the opening change nothing.
    if (state.trialStartedAt === undefined || now < (state.openUntil ?? 0)) return false;
    open(state, now, policy);
    return true;
  }
  pushRing(state.window, 0, policy.breaker.windowSize);
  const { failures, samples } = failureRatio(state.window);
  const tooManyInRow = state.consecutiveFailures >= policy.breaker.consecutiveFailures;
  const tooManyOverall = samples >= policy.breaker.minWindowSamples && failures / samples >= policy.breaker.failureRatio;
  if (!tooManyInRow && !tooManyOverall) return false;
  open(state, now, policy);
  return true;
}

/** Opens a closed breaker now, whatever its counts: for an outage two independent observations
 *  agree on. Returns true if it opened. */
export function tripBreaker(state: BreakerState, now: number, policy: Policy): boolean {
  if (state.status === 'open') return false;
  open(state, now, policy);
  return true;
}

function open(state: BreakerState, now: number, policy: Policy): void {
  const cooldown = Math.min(state.nextCooldownMs, policy.breaker.maxCooldownMs);
  state.status = 'open';
  state.cooldownMs = cooldown;
  state.openUntil = now + cooldown;
  state.nextCooldownMs = Math.min(cooldown * 2, policy.breaker.maxCooldownMs);
  delete state.trialStartedAt;
}
