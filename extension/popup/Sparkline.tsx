import { SPARKLINE_BOX, type Sparkline as SparklineGeometry } from '../../src/status/latency';

const { width: W, height: H } = SPARKLINE_BOX;

/** Inline SVG of the last hour's p50 latency (geometry from the worker); the numbers are in its
 *  accessible name. */
export function Sparkline({ line }: { line: SparklineGeometry | null }) {
  if (!line) return <span class="spark muted small" aria-label="No latency samples yet">—</span>;
  return (
    <svg class="spark" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={line.label} data-testid="sparkline">
      <title>{line.label}</title>
      {line.count === 1 ? <circle cx={W - 1.5} cy={H / 2} r="1.5" /> : <polyline points={line.points} fill="none" stroke="currentColor" stroke-width="1.5" />}
    </svg>
  );
}
