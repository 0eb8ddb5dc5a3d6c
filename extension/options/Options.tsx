import { useEffect, useState } from 'preact/hooks';
import { sendMessage } from '../messages';
import type { OptionsState, SaveConfigAnswer } from '../protocol/options';
import {
  addUserEndpoint, editableConfig, moveEndpoint, parseChainIdInput, removeUserEndpoint, setEndpointEnabled, tidyUserConfig,
} from '../../src/config/endpoint-edits';
import { POLICY_KNOBS, POLICY_KNOB_NAMES, isPolicyKnobName, knobDefault, type PolicyKnob, type PolicyKnobName, type PolicyOverrides } from '../../src/config/policy-overrides';
import { emptyUserConfig, formatIssue, type ConfigIssue, type UserConfig } from '../../src/config/schema';
import { serializeUserConfig } from '../../src/config/serialize';
import { checkEndpointUrl } from '../../src/config/user-endpoints';
import { CONFIG_POLICY } from '../../src/policy/config';
import { maskUrlSecrets } from '../../src/registry/primaries';
import type { Endpoint } from '../../src/types';
import type { EndpointRow } from '../../src/status/view';
import { endpointLevel } from '../ui/levels';
import { downloadText } from '../ui/download';
import { chainName } from '../../src/registry/chains';
import { ext, type Browser } from '../platform/browser';
import { VerificationSetting } from './VerificationSetting';
import { formatMs, formatShare, formatWithUnit } from '../../src/status/format';

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

const PRIVACY_TEXT: Record<Endpoint['privacy'], string> = {
  none: 'no tracking',
  limited: 'limited logging',
  yes: 'tracks users',
};

type Notice = { kind: 'ok' | 'error'; title: string; issues?: ConfigIssue[] } | null;

function IssueList({ issues }: { issues: ConfigIssue[] }) {
  return (
    <ul class="plain">
      {issues.map((i) => <li key={`${i.path}:${i.message}`}>{formatIssue(i)}</li>)}
    </ul>
  );
}

/** What the worker currently knows of each endpoint's health, by endpoint id. */
type HealthById = Record<string, Pick<EndpointRow, 'state' | 'reason' | 'p50Ms'>>;

export function Options() {
  const [state, setState] = useState<OptionsState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [health, setHealth] = useState<HealthById>({});

  useEffect(() => {
    const load = () => {
      void sendMessage('getConfig', undefined).then(setState, (e: unknown) => setLoadError(errorText(e)));
      // Health beside each endpoint helps choose an order; without it the page still works.
      void sendMessage('popupStatus').then(
        (s) => setHealth(Object.fromEntries(s.chains.flatMap((c) => c.endpoints.map((e) => [e.id, { state: e.state, reason: e.reason, p50Ms: e.p50Ms }])))),
        () => undefined,
      );
    };
    load();
    // Another Lifeline page (or a second options tab) may change the configuration too.
    const onChanged = (changes: Record<string, Browser.Storage.StorageChange>, area: string) => {
      if (area === 'local' && ('userConfig' in changes || 'notificationsEnabled' in changes)) void load();
    };
    ext.storage.onChanged.addListener(onChanged);
    return () => ext.storage.onChanged.removeListener(onChanged);
  }, []);

  /** Sends a document to the worker, which validates and stores it; returns its answer. */
  const save = async (text: string, what: string): Promise<SaveConfigAnswer> => {
    try {
      const answer = await sendMessage('saveConfig', { text });
      if (answer.ok) {
        setState(answer.state);
        setNotice({ kind: 'ok', title: `${what}: saved.`, issues: answer.warnings.length ? answer.warnings : undefined });
      } else {
        setNotice({ kind: 'error', title: `${what}: rejected, nothing was changed.`, issues: answer.errors });
      }
      return answer;
    } catch (e) {
      const answer: SaveConfigAnswer = { ok: false, errors: [{ path: '', message: errorText(e) }], warnings: [] };
      setNotice({ kind: 'error', title: `${what}: failed, nothing was changed.`, issues: answer.errors });
      return answer;
    }
  };
  const saveConfig = (config: UserConfig, what: string) => save(serializeUserConfig(tidyUserConfig(config)), what);

  if (loadError) return <main class="options"><h1>Lifeline options</h1><p role="alert">Could not load the configuration: {loadError}</p></main>;
  if (!state) return <main class="options"><h1>Lifeline options</h1><p>Loading…</p></main>;

  return (
    <main class="options">
      <h1>Lifeline options</h1>
      <div role="status" aria-live="polite" data-testid="notice" class={notice ? `notice ${notice.kind}` : 'notice'}>
        {notice && (
          <>
            <p>{notice.title}</p>
            {notice.issues && <IssueList issues={notice.issues} />}
          </>
        )}
      </div>
      <ImportExport state={state} onImport={(text) => save(text, 'Import')} />
      <AddEndpoint state={state} onSave={saveConfig} />
      <EndpointList state={state} health={health} onSave={saveConfig} />
      <General state={state} onState={setState} onSave={saveConfig} onError={(m) => setNotice({ kind: 'error', title: m })} />
      <PolicyKnobs state={state} onSave={saveConfig} />
    </main>
  );
}

function ImportExport({ state, onImport }: { state: OptionsState; onImport: (text: string) => Promise<SaveConfigAnswer> }) {
  const onFile = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    await onImport(text);
    input.value = '';
  };
  const onExport = () => {
    downloadText(state.text ?? serializeUserConfig(emptyUserConfig()), 'lifeline-config.json');
  };
  return (
    <section aria-labelledby="file-heading">
      <h2 id="file-heading">Configuration file</h2>
      <p class="muted small">A JSON file as described in Lifeline's docs/config.md. A file with any error is refused as a whole.</p>
      <div class="actions">
        <label class="file">
          Import configuration
          <input type="file" accept=".json,application/json" onChange={onFile} />
        </label>
        <button type="button" onClick={onExport}>Export configuration</button>
      </div>
    </section>
  );
}

function AddEndpoint({ state, onSave }: { state: OptionsState; onSave: (c: UserConfig, what: string) => Promise<SaveConfigAnswer> }) {
  const [chainId, setChainId] = useState('1');
  const [url, setUrl] = useState('');
  const [label, setLabel] = useState('');
  const [progress, setProgress] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const id = parseChainIdInput(chainId);
    if (id === null) {
      setProgress('Chain id must be a positive whole number.');
      return;
    }
    const trimmed = url.trim();
    const urlProblem = checkEndpointUrl(trimmed);
    if (urlProblem) {
      setProgress(`URL ${urlProblem}`);
      return;
    }
    setBusy(true);
    setProgress(`Checking ${maskUrlSecrets(trimmed)}: asking which chain it serves…`);
    try {
      const result = await sendMessage('verifyEndpoint', { chainId: id, url: trimmed });
      if (result.status !== 'ok') {
        setProgress(`Not saved: ${result.message}`);
        return;
      }
      const answer = await onSave(addUserEndpoint(state.config, { chainId: id, url: trimmed, label }), 'Add endpoint');
      if (answer.ok) {
        setProgress(`Saved: ${maskUrlSecrets(trimmed)} serves chain ${id}.`);
        setUrl('');
        setLabel('');
      } else {
        setProgress(`Not saved: ${answer.errors.map(formatIssue).join('; ')}`);
      }
    } catch (e) {
      setProgress(`Not saved: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="add-heading">
      <h2 id="add-heading">Add an endpoint</h2>
      <p class="muted small">Your own node or paid endpoint. Lifeline asks it for its chain id before saving it.</p>
      <form onSubmit={submit} class="form">
        <label>Chain id <input name="chainId" inputMode="numeric" value={chainId} onInput={(e) => setChainId(e.currentTarget.value)} required /></label>
        <label>URL <input name="url" type="text" value={url} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://rpc.example.com" required /></label>
        <label>Label <input name="label" type="text" maxLength={CONFIG_POLICY.maxEndpointLabelLength} value={label} onInput={(e) => setLabel(e.currentTarget.value)} /></label>
        <button type="submit" disabled={busy}>Add endpoint</button>
      </form>
      <p role="status" aria-live="polite" data-testid="add-progress">{progress}</p>
    </section>
  );
}

function EndpointList({ state, health, onSave }: { state: OptionsState; health: HealthById; onSave: (c: UserConfig, what: string) => Promise<SaveConfigAnswer> }) {
  const chains = Object.keys(state.endpoints).map(Number).sort((a, b) => a - b);

  const remove = (e: Endpoint) => {
    void onSave(removeUserEndpoint(state.config, e), `Remove ${e.label ?? e.provider}`);
  };
  const setEnabled = (e: Endpoint, enabled: boolean) => {
    void onSave(setEndpointEnabled(state.config, e, enabled), `${enabled ? 'Enable' : 'Disable'} ${e.label ?? e.provider}`);
  };

  const move = (chainId: number, list: Endpoint[], index: number, delta: -1 | 1) => {
    const config = moveEndpoint(state.config, chainId, list, index, delta);
    if (!config) return;
    const name = list[index]!.label ?? list[index]!.provider;
    void onSave(config, `Move ${name} ${delta < 0 ? 'up' : 'down'}`).then(() => {
      // Keep keyboard focus on the moved endpoint's button that still exists.
      requestAnimationFrame(() => document.querySelector<HTMLButtonElement>(`[data-move="${CSS.escape(list[index]!.id)}:${delta < 0 ? 'up' : 'down'}"]:not(:disabled)`)?.focus());
    });
  };

  return (
    <section aria-labelledby="list-heading">
      <h2 id="list-heading">Endpoints</h2>
      <p class="muted small">Per chain in the order Lifeline tries them: your own endpoints first. Move an endpoint up or down to change that order.</p>
      {chains.map((chainId) => {
        const list = state.endpoints[chainId] ?? [];
        const own = list.some((e) => e.source === 'user');
        const name = state.chainNames[chainId] ?? chainName(chainId);
        return (
          <details key={chainId} open={own} data-testid={`chain-${chainId}`}>
            <summary>{name} ({chainId}): {formatShare(list.filter((e) => e.enabled).length, list.length)} on</summary>
            <ol class="plain" aria-label={`Endpoints of ${name}`}>
              {list.map((e, index) => {
                const name = e.label ?? e.provider;
                return (
                  <li key={e.id} class={`endpoint${e.enabled ? '' : ' off'}`} data-testid="endpoint" data-endpoint-id={e.id} data-source={e.source}>
                    <div class="row">
                      <strong>{name}</strong>
                      {e.source === 'user' && <span class="pill">yours</span>}
                      {e.privacy === 'yes' && <span class="pill warn">tracks users</span>}
                      <span class="state muted small">{e.enabled ? 'on' : 'off'}</span>
                    </div>
                    <EndpointHealth health={e.enabled ? health[e.id] : undefined} enabled={e.enabled} />
                    <div class="muted small facts" data-testid="endpoint-facts">
                      provider {e.provider} · infrastructure {e.infrastructure} · privacy {PRIVACY_TEXT[e.privacy]}
                    </div>
                    <code class="url">{maskUrlSecrets(e.url)}</code>
                    <div class="actions">
                      {e.enabled
                        ? <button type="button" aria-label={`Disable ${name} on chain ${chainId}`} onClick={() => setEnabled(e, false)}>Disable</button>
                        : <button type="button" aria-label={`Enable ${name} on chain ${chainId}`} onClick={() => setEnabled(e, true)}>Enable</button>}
                      <button type="button" data-move={`${e.id}:up`} aria-label={`Move ${name} up on chain ${chainId}`} disabled={index === 0} onClick={() => move(chainId, list, index, -1)}>↑ Up</button>
                      <button type="button" data-move={`${e.id}:down`} aria-label={`Move ${name} down on chain ${chainId}`} disabled={index === list.length - 1} onClick={() => move(chainId, list, index, 1)}>↓ Down</button>
                      {e.source === 'user' && <button type="button" aria-label={`Remove ${name} on chain ${chainId}`} onClick={() => remove(e)}>Remove</button>}
                    </div>
                  </li>
                );
              })}
            </ol>
          </details>
        );
      })}
    </section>
  );
}

function EndpointHealth({ health, enabled }: { health: HealthById[string] | undefined; enabled: boolean }) {
  const text = !enabled
    ? 'off: not checked'
    : !health || health.state === 'unknown'
      ? 'not checked yet'
      : health.state === 'healthy'
        ? `healthy${health.p50Ms !== undefined ? `, p50 ${formatMs(health.p50Ms)}` : ''}`
        : `${health.state}: ${health.reason}`;
  return (
    <div class="small row">
      <span class={`dot level-${health && enabled ? endpointLevel(health.state) : 'unknown'}`} aria-hidden="true" />
      <span data-testid="endpoint-health">{text}</span>
    </div>
  );
}

function General({ state, onState, onSave, onError }: {
  state: OptionsState;
  onState: (s: OptionsState) => void;
  onSave: (c: UserConfig, what: string) => Promise<SaveConfigAnswer>;
  onError: (message: string) => void;
}) {
  const setNotifications = async (enabled: boolean) => {
    try {
      onState(await sendMessage('setNotifications', { enabled }));
    } catch (e) {
      onError(`Notifications: ${errorText(e)}`);
    }
  };
  const setHideTracking = (hide: boolean) => {
    const config = editableConfig(state.config);
    config.privacy = { ...(config.privacy ?? {}), hideTracking: hide };
    if (!hide) delete config.privacy.hideTracking;
    void onSave(config, hide ? 'Hide tracking endpoints' : 'Show tracking endpoints');
  };
  return (
    <section aria-labelledby="general-heading">
      <h2 id="general-heading">Notifications and privacy</h2>
      <label class="check">
        <input type="checkbox" checked={state.notificationsEnabled} onChange={(e) => void setNotifications(e.currentTarget.checked)} />
        Notify me when a chain I use fails over
      </label>
      <label class="check">
        <input type="checkbox" checked={state.config?.privacy?.hideTracking === true} onChange={(e) => setHideTracking(e.currentTarget.checked)} />
        Hide endpoints that track users
      </label>
      <VerificationSetting config={state.config} onSave={(mode) => void onSave({ ...editableConfig(state.config), verification: mode }, `Verification: ${mode}`)} />
    </section>
  );
}

type Scope = 'all' | `${number}`;

/** The overrides stored for a scope: `policy` for all chains, `chainPolicy[id]` for one. */
const overridesAt = (config: UserConfig | null, scope: Scope): PolicyOverrides =>
  (scope === 'all' ? config?.policy : config?.chainPolicy?.[scope]) ?? {};

const knobValueText = (v: number | undefined) => (v === undefined ? '' : String(v));

type KnobGroup = 'speed' | 'health' | 'breaker';
const KNOB_GROUPS: ReadonlyArray<{ id: KnobGroup; title: string; intro: string }> = [
  { id: 'speed', title: 'Speed', intro: 'How long Lifeline waits before asking another endpoint, and when it gives up.' },
  { id: 'health', title: 'Health checks', intro: 'How often endpoints are checked and how far behind one may fall.' },
  { id: 'breaker', title: 'Circuit breaker', intro: 'When Lifeline stops using a failing endpoint, and when it tries it again.' },
];

/** Each knob in plain words: the sentence the field completes, a short name for summaries, its
 *  group, and whether it is advanced (shown behind a disclosure: most users never need it). */
const KNOB_WORDS: Record<PolicyKnobName, { label: string; short: string; group: KnobGroup; advanced?: true }> = {
  hedgeDelayMinMs: { label: 'Wait at least this long before asking a second endpoint', short: 'shortest wait before a second endpoint', group: 'speed' },
  hedgeDelayMaxMs: { label: 'Wait at most this long before asking a second endpoint', short: 'longest wait before a second endpoint', group: 'speed' },
  requestDeadlineMs: { label: 'Give up on a request after', short: 'give up after', group: 'speed' },
  attemptTimeoutMs: { label: 'Move to the next endpoint when one has not answered in', short: 'next endpoint after', group: 'speed' },
  hedgeLatencyFactor: { label: 'Ask a second endpoint after the usual slowest answer times', short: 'second endpoint after slowest answer ×', group: 'speed', advanced: true },
  broadcastFanout: { label: 'Send a signed transaction to this many endpoints at once', short: 'endpoints per transaction', group: 'speed', advanced: true },
  probeIntervalSec: { label: 'Check the endpoints of chains in use every', short: 'check chains in use every', group: 'health' },
  lagToleranceBlocks: { label: 'Let an endpoint fall this many blocks behind before calling it lagging', short: 'lag allowed', group: 'health' },
  idleProbeIntervalSec: { label: 'Check the endpoints of other chains every', short: 'check other chains every', group: 'health', advanced: true },
  breakerConsecutiveFailures: { label: 'Stop using an endpoint after this many failures in a row', short: 'failures in a row to stop', group: 'breaker' },
  breakerCooldownMs: { label: 'Try a stopped endpoint again after', short: 'first retry after', group: 'breaker' },
  breakerFailureRatePercent: { label: 'Also stop using it when this share of its recent requests failed', short: 'failed share to stop', group: 'breaker', advanced: true },
  breakerWindowSize: { label: 'Judge that share over this many recent requests', short: 'requests judged', group: 'breaker', advanced: true },
  breakerMaxCooldownMs: { label: 'Wait at most this long between retries of a stopped endpoint', short: 'longest retry wait', group: 'breaker', advanced: true },
};

const UNIT_WORDS: Record<PolicyKnob['unit'], string> = { ms: 'milliseconds', s: 'seconds', blocks: 'blocks', count: 'number', percent: 'percent', factor: 'times' };

/** "Give up on a request after (milliseconds, default 10 s)" */
export const knobLabel = (name: PolicyKnobName) => `${KNOB_WORDS[name].label} (${UNIT_WORDS[POLICY_KNOBS[name].unit]}, default ${formatWithUnit(knobDefault(name), POLICY_KNOBS[name].unit)})`;
const knobValue = (name: PolicyKnobName, value: number) => formatWithUnit(value, POLICY_KNOBS[name].unit);
/** Text about knobs (their help, the worker's refusals) with code names replaced by words. */
const inWords = (text: string) => POLICY_KNOB_NAMES.reduce((out, name) => out.replaceAll(name, `“${KNOB_WORDS[name].short}”`), text);

function PolicyKnobs({ state, onSave }: { state: OptionsState; onSave: (c: UserConfig, what: string) => Promise<SaveConfigAnswer> }) {
  const [scope, setScope] = useState<Scope>('all');
  const chainIds = [...new Set([...Object.keys(state.chainNames), ...Object.keys(state.config?.chainPolicy ?? {})].map(Number))].sort((a, b) => a - b);
  const chainLabel = (id: number) => `${state.chainNames[id] ?? chainName(id)} (${id})`;
  const tuned = Object.entries(state.config?.chainPolicy ?? {}).filter(([, o]) => Object.keys(o).length > 0);

  const reset = (chainId: string) => {
    const config = editableConfig(state.config);
    if (config.chainPolicy) delete config.chainPolicy[chainId];
    void onSave(config, `Tuning of ${chainLabel(Number(chainId))}: back to the all-chains values`);
  };

  return (
    <section aria-labelledby="policy-heading">
      <h2 id="policy-heading">Engine tuning</h2>
      <p class="muted small">
        For all chains, or for one chain (a slow L2, your own node): a chain's own value wins over the all-chains one. Leave a field empty to inherit.
      </p>
      <label class="scope">
        Applies to{' '}
        <select value={scope} onChange={(e) => setScope(e.currentTarget.value as Scope)}>
          <option value="all">All chains</option>
          {chainIds.map((id) => <option key={id} value={String(id)}>{chainLabel(id)}</option>)}
        </select>
      </label>
      {tuned.length > 0 && (
        <ul class="plain small" aria-label="Chains with their own tuning" data-testid="chain-tuning">
          {tuned.map(([id, o]) => (
            <li key={id} class="row">
              <span>
                <strong>{chainLabel(Number(id))}</strong>: {Object.entries(o).filter((kv): kv is [PolicyKnobName, number] => isPolicyKnobName(kv[0]) && typeof kv[1] === 'number').map(([k, v]) => `${KNOB_WORDS[k].short} ${knobValue(k, v)}`).join(', ')}
              </span>
              <button type="button" onClick={() => setScope(id as Scope)} aria-label={`Edit the tuning of ${chainLabel(Number(id))}`}>Edit</button>
              <button type="button" onClick={() => reset(id)} aria-label={`Reset ${chainLabel(Number(id))} to the all-chains values`}>Reset</button>
            </li>
          ))}
        </ul>
      )}
      {/* Keyed by scope and stored values, so a scope switch, an import or another page's change
          resets the fields. */}
      <KnobForm
        key={`${scope}|${JSON.stringify(overridesAt(state.config, scope))}|${JSON.stringify(state.config?.policy ?? {})}`}
        state={state}
        scope={scope}
        scopeLabel={scope === 'all' ? 'all chains' : chainLabel(Number(scope))}
        onSave={onSave}
      />
    </section>
  );
}

function KnobForm({ state, scope, scopeLabel, onSave }: {
  state: OptionsState;
  scope: Scope;
  scopeLabel: string;
  onSave: (c: UserConfig, what: string) => Promise<SaveConfigAnswer>;
}) {
  const stored = overridesAt(state.config, scope);
  const [draft, setDraft] = useState<Partial<Record<PolicyKnobName, string>>>(() =>
    Object.fromEntries(POLICY_KNOB_NAMES.map((name) => [name, knobValueText(stored[name])])),
  );
  const [errors, setErrors] = useState<Partial<Record<PolicyKnobName, string>>>({});
  const [general, setGeneral] = useState<string[]>([]);
  /** What an empty field means here: the engine default, or for a chain the all-chains value. */
  const inherited = (name: PolicyKnobName): string => {
    const all = state.config?.policy?.[name];
    if (scope !== 'all' && all !== undefined) return `all chains: ${knobValue(name, all)}`;
    return `default ${knobValue(name, knobDefault(name))}`;
  };
  const pathOfKnob = scope === 'all' ? /^policy\.(\w+)$/ : new RegExp(`^chainPolicy\\["${scope}"\\]\\.(\\w+)$`);

  const submit = async (event: Event) => {
    event.preventDefault();
    const config = editableConfig(state.config);
    const values: PolicyOverrides = {};
    const local: Partial<Record<PolicyKnobName, string>> = {};
    for (const name of POLICY_KNOB_NAMES) {
      const raw = (draft[name] ?? '').trim();
      if (raw === '') continue;
      const n = Number(raw);
      if (!Number.isFinite(n)) local[name] = 'must be a number';
      else values[name] = n;
    }
    if (Object.keys(local).length) {
      setErrors(local);
      return;
    }
    if (scope === 'all') config.policy = values;
    else config.chainPolicy = { ...(config.chainPolicy ?? {}), [scope]: values };
    const answer = await onSave(config, `Tuning for ${scopeLabel}`);
    if (answer.ok) {
      setErrors({});
      setGeneral([]);
      return;
    }
    const byKnob: Partial<Record<PolicyKnobName, string>> = {};
    const rest: string[] = [];
    for (const issue of answer.errors) {
      const name = pathOfKnob.exec(issue.path)?.[1];
      if (name && isPolicyKnobName(name)) byKnob[name] = issue.message;
      else rest.push(formatIssue(issue));
    }
    setErrors(byKnob);
    setGeneral(rest);
  };

  const field = (name: PolicyKnobName) => {
    const knob = POLICY_KNOBS[name];
    const id = `knob-${name}`;
    const error = errors[name];
    return (
      <div key={name} class="knob" data-knob={name}>
        <label for={id}>{knobLabel(name)}</label>
        <input
          id={id}
          type="number"
          min={knob.min}
          max={knob.max}
          step={knob.integer ? 1 : 'any'}
          value={draft[name] ?? ''}
          placeholder={inherited(name)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}
          onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })}
        />
        <span id={`${id}-help`} class="muted small">
          From {knobValue(name, knob.min)} to {knobValue(name, knob.max)}; empty means {inherited(name)}. {inWords(knob.description)}
        </span>
        {error && <span id={`${id}-error`} class="error small" role="alert">{KNOB_WORDS[name].label}: {inWords(error)}</span>}
      </div>
    );
  };

  return (
    <form onSubmit={submit} class="form knobs" noValidate aria-label={`Engine tuning for ${scopeLabel}`}>
      {KNOB_GROUPS.map((group) => {
        const names = POLICY_KNOB_NAMES.filter((n) => KNOB_WORDS[n].group === group.id);
        const basic = names.filter((n) => !KNOB_WORDS[n].advanced);
        const advanced = names.filter((n) => KNOB_WORDS[n].advanced);
        // Open when an advanced knob is set here or refused: a value the user cannot see is a trap.
        const advancedOpen = advanced.some((n) => (draft[n] ?? '') !== '' || errors[n] !== undefined);
        return (
          <fieldset key={group.id} class="knob-group" data-testid={`knobs-${group.id}`}>
            <legend>{group.title}</legend>
            <p class="muted small">{group.intro}</p>
            {basic.map(field)}
            {advanced.length > 0 ? (
              <details open={advancedOpen} data-testid={`knobs-${group.id}-advanced`}>
                <summary>Advanced: {group.title.toLowerCase()}</summary>
                {advanced.map(field)}
              </details>
            ) : null}
          </fieldset>
        );
      })}
      {general.length > 0 && <ul class="plain error small" role="alert">{general.map((g) => <li key={g}>{g}</li>)}</ul>}
      <button type="submit">Save tuning</button>
    </form>
  );
}
