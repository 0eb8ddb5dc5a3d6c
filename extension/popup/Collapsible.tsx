import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

/**
 * A section with a disclosure button. Its content is rendered only while open: with sixty
 * chains most sections stay shut, and building their rows would only slow the first paint.
 */
export function Collapsible(props: { id: string; title: string; open: boolean; badge?: string; level?: string; children: ComponentChildren }) {
  // Follows the status (a failover opens it) until the user toggles it; the first status shown
  // may be the stored view, so the initial value alone would go stale.
  const [chosen, setOpen] = useState<boolean | null>(null);
  const open = chosen ?? props.open;
  const panel = `panel-${props.id}`;
  return (
    <section class="collapsible" data-testid={`section-${props.id}`}>
      <h3>
        <button type="button" class="disclosure" aria-expanded={open} aria-controls={panel} onClick={() => setOpen(!open)}>
          <span aria-hidden="true" class="chevron">{open ? '▾' : '▸'}</span>
          {props.level ? <span class={`dot level-${props.level}`} aria-hidden="true" /> : null}
          <span class="title">{props.title}</span>
          {props.badge ? <span class="muted small"> — {props.badge}</span> : null}
        </button>
      </h3>
      <div id={panel} hidden={!open}>
        {open ? props.children : null}
      </div>
    </section>
  );
}
