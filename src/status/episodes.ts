/**
 * Failover episodes: decides when failover starts and ends for a chain in use, from successive
 * chain assessments, and what to tell the user (timeline events, at most one notification pair
 * per episode, rate-limited per chain). Pure and clock-free: the caller passes `now`; the state
 * is plain JSON so the worker can persist it across restarts.
 */
import type { TimelineEvent } from './timeline.ts';
import { STATUS_POLICY } from '../policy/index.ts';
import type { ChainAssessment, ChainLevel } from './assess.ts';
import { chainName } from '../registry/chains.ts';

export interface ChainEpisode {
  /** When the episode started. */
  since: number;
  level: Exclude<ChainLevel, 'healthy' | 'unknown'>;
  why: string;
  /** First moment the chain looked healthy again (the end waits for episodeEndHoldMs). */
  clearSince?: number;
  /** Whether the start was notified (so the end is notified too, and only then). */
  notified: boolean;
}

export interface EpisodeState {
  version: 1;
  /** chainId → open episode. */
  open: Record<string, ChainEpisode>;
  /** chainId → last episode that ended (shown as "recovered" in the popup). */
  lastEnded: Record<string, { since: number; endedAt: number; why: string }>;
  /** chainId → time of the last "started" notification. */
  lastNotifiedAt: Record<string, number>;
  /** endpoint id → last known up/down, for endpoint-down/up events on chains in use. */
  endpoints: Record<string, 'up' | 'down'>;
  /** "<wallet>|<chainId>" → failing, for wallet-failing/recovered events. */
  wallets: Record<string, boolean>;
}

export interface Notice {
  kind: 'start' | 'end';
  chainId: number;
  /** Stable id: one notification per episode phase. */
  id: string;
  title: string;
  message: string;
}

export interface EpisodeStep {
  state: EpisodeState;
  events: TimelineEvent[];
  notices: Notice[];
}

export function emptyEpisodes(): EpisodeState {
  return { version: 1, open: {}, lastEnded: {}, lastNotifiedAt: {}, endpoints: {}, wallets: {} };
}

/** Accepts a stored state; anything malformed yields a fresh state (never throws). */
export function restoreEpisodes(raw: unknown): EpisodeState {
  if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== 1) return emptyEpisodes();
  const r = raw as Partial<EpisodeState>;
  const obj = <T>(v: unknown): Record<string, T> => (typeof v === 'object' && v !== null ? { ...(v as Record<string, T>) } : {});
  return { version: 1, open: obj(r.open), lastEnded: obj(r.lastEnded), lastNotifiedAt: obj(r.lastNotifiedAt), endpoints: obj(r.endpoints), wallets: obj(r.wallets) };
}

export interface EpisodeOptions {
  endHoldMs?: number;
  notificationMinGapMs?: number;
}

/**
 * One step: compares the assessments with the open episodes and returns the new state plus what
 * happened. Episodes exist only for chains in use; a chain that leaves use ends its episode.
 */
export function stepEpisodes(previous: EpisodeState, assessments: readonly ChainAssessment[], now: number, options: EpisodeOptions = {}): EpisodeStep {
  const endHoldMs = options.endHoldMs ?? STATUS_POLICY.episodeEndHoldMs;
  const minGap = options.notificationMinGapMs ?? STATUS_POLICY.notificationMinGapMs;
  const state: EpisodeState = restoreEpisodes(JSON.parse(JSON.stringify(previous)) as unknown);
  const events: TimelineEvent[] = [];
  const notices: Notice[] = [];
  const byChain = new Map(assessments.map((a) => [String(a.chainId), a]));

  const end = (key: string, episode: ChainEpisode, reason: string, chainName: string) => {
    const chainId = Number(key);
    delete state.open[key];
    state.lastEnded[key] = { since: episode.since, endedAt: now, why: episode.why };
    events.push({ at: now, kind: 'failover-end', chainId, reason });
    if (episode.notified) {
      notices.push({ kind: 'end', chainId, id: `lifeline-episode-${chainId}-${episode.since}-end`, title: `${chainName} recovered`, message: `${reason} after ${formatDuration(now - episode.since)}.` });
    }
  };

  for (const a of assessments) {
    const key = String(a.chainId);
    const episode = state.open[key];
    const troubled = a.inUse && (a.level === 'failover' || a.level === 'outage');
    if (troubled) {
      const level = a.level as ChainEpisode['level'];
      if (!episode) {
        const last = state.lastNotifiedAt[key];
        const notify = last === undefined || now - last >= minGap;
        state.open[key] = { since: now, level, why: a.why, notified: notify };
        events.push({ at: now, kind: 'failover-start', chainId: a.chainId, from: a.primary?.label, to: a.serving?.label, reason: level === 'outage' ? `No healthy endpoint: ${a.why}` : a.why });
        if (notify) {
          state.lastNotifiedAt[key] = now;
          notices.push({
            kind: 'start', chainId: a.chainId, id: `lifeline-episode-${a.chainId}-${now}-start`,
            title: level === 'outage' ? `No healthy endpoint for ${a.name}` : `Failover active on ${a.name}`,
            message: level === 'outage' ? `Lifeline cannot reach any ${a.name} endpoint: ${a.why}.` : `${capitalise(a.why)}.`,
          });
        }
      } else {
        delete episode.clearSince;
        if (episode.level !== level || episode.why !== a.why) {
          episode.level = level;
          episode.why = a.why;
        }
      }
    } else if (episode) {
      if (!a.inUse) end(key, episode, `${a.name} no longer in use`, a.name);
      else if (a.level === 'healthy') {
        episode.clearSince ??= now;
        if (now - episode.clearSince >= endHoldMs) end(key, episode, `${a.name} healthy again`, a.name);
      }
      // 'unknown' (e.g. just restarted, not probed yet): keep the episode as it is.
    }
  }
  // Episodes of chains that vanished from the view (endpoints removed) end too.
  for (const [key, episode] of Object.entries(state.open)) {
    if (!byChain.has(key)) end(key, episode, 'chain no longer configured', chainName(Number(key)));
  }
  return { state, events, notices };
}

/** Endpoint up/down and wallet failing/recovered events for chains in use. */
export function stepTransitions(
  state: EpisodeState,
  inputs: {
    endpoints: ReadonlyArray<{ id: string; chainId: number; label: string; state: string; reason: string }>;
    wallets: ReadonlyArray<{ name: string; chainId: number | null; failing: boolean; lastFailure: string | null }>;
    chainsInUse: ReadonlySet<number>;
  },
  now: number,
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const e of inputs.endpoints) {
    if (e.state !== 'down' && e.state !== 'healthy' && e.state !== 'degraded') continue;
    const next = e.state === 'down' ? 'down' : 'up';
    const before = state.endpoints[e.id];
    state.endpoints[e.id] = next;
    if (!inputs.chainsInUse.has(e.chainId)) continue;
    if (before === undefined ? next === 'down' : before !== next) {
      events.push({ at: now, kind: next === 'down' ? 'endpoint-down' : 'endpoint-up', chainId: e.chainId, from: e.label, reason: e.reason });
    }
  }
  for (const w of inputs.wallets) {
    const key = `${w.name}|${w.chainId ?? '?'}`;
    const before = state.wallets[key] ?? false;
    state.wallets[key] = w.failing;
    if (before !== w.failing) {
      events.push({ at: now, kind: w.failing ? 'wallet-failing' : 'wallet-recovered', chainId: w.chainId, from: w.name, ...(w.failing && w.lastFailure ? { reason: w.lastFailure } : {}) });
    }
  }
  return events;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}
