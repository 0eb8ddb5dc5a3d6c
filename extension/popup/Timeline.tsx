import { useState } from 'preact/hooks';
import { sendMessage } from '../messages';
import type { PopupStatus } from '../protocol/popup';
import { describeEvent } from '../../src/status/describe';
import { formatClock, formatCount } from '../../src/status/format';
import { downloadText } from '../ui/download';
import { Collapsible } from './Collapsible';
import { errorText } from './requests';

export function Timeline({ status }: { status: PopupStatus }) {
  const [exported, setExported] = useState<string | null>(null);
  /** The whole week as JSON, each event with its time and the words the popup shows: something
   *  a user can attach to a support request or an outage report. */
  const exportTimeline = async () => {
    try {
      const events = await sendMessage('timelineEvents');
      const file = { exportedAt: new Date().toISOString(), events: events.map((e) => ({ time: new Date(e.at).toISOString(), text: describeEvent(e), ...e })) };
      downloadText(`${JSON.stringify(file, null, 2)}\n`, `lifeline-timeline-${new Date().toISOString().slice(0, 10)}.json`);
      setExported(`Exported ${formatCount(events.length, 'event')}.`);
    } catch (e) {
      setExported(`Export failed: ${errorText(e)}`);
    }
  };
  return (
    <Collapsible id="timeline" title="Timeline" open={status.level !== 'healthy' || status.chains.some((c) => c.recovered)} badge={formatCount(status.timeline.length, 'event')}>
      {status.timeline.length === 0 ? <p class="muted small">Nothing has happened yet.</p> : null}
      <div class="row">
        <button type="button" onClick={exportTimeline} aria-label="Export timeline: the last 7 days of events as a JSON file">Export timeline</button>
        {exported ? <span class="small muted" role="status">{exported}</span> : null}
      </div>
      <ol class="plain timeline" aria-label="Events, newest first">
        {status.timeline.map((e, i) => (
          <li key={`${e.at}-${i}`} class="small" data-kind={e.kind}>
            <time dateTime={new Date(e.at).toISOString()}>{formatClock(e.at)}</time> {describeEvent(e)}
          </li>
        ))}
      </ol>
    </Collapsible>
  );
}
