import { CHART_BOX, type LatencyChart as ChartGeometry } from '../../src/status/latency';
import { formatDuration, formatMs } from '../../src/status/format';

const { width: W, height: H } = CHART_BOX;

/** One endpoint's last hour: p50 as a line from zero, failure periods as red bands, the scale
 *  and the span written beside it. Geometry comes from the worker; the words are in its name. */
export function LatencyChart({ chart }: { chart: ChartGeometry | null }) {
  if (!chart) return <p class="chart-empty small muted" data-testid="latency-chart-empty">No latency samples yet</p>;
  return (
    <figure class="chart" data-testid="latency-chart" data-failing={chart.failingNow ? 'true' : 'false'}>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={chart.label}>
        <rect class="chart-bg" x="0" y="0" width={W} height={H} />
        {chart.failures.map((f) => <rect key={f.x} class="chart-failure" x={f.x} y="0" width={f.width} height={H} />)}
        <line class="chart-grid" x1="0" x2={W} y1={H / 2} y2={H / 2} />
        {chart.lines.map((points) =>
          points.includes(' ')
            ? <polyline key={points} class="chart-line" points={points} />
            : <circle key={points} class="chart-point" cx={points.split(',')[0]} cy={points.split(',')[1]} r="2" />,
        )}
      </svg>
      <figcaption class="chart-axis small muted" aria-hidden="true">
        <span>{formatDuration(chart.spanMs)} ago</span>
        <span>scale 0–{formatMs(chart.scaleMaxMs)}</span>
        <span>{chart.failingNow ? 'now: failing' : 'now'}</span>
      </figcaption>
    </figure>
  );
}
