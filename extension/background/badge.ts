/** The toolbar badge: colour and text from the status (src/status/worst-truth.ts, the same derivation as the popup's headline), tooltip says why. */
import type { Badge } from '../../src/status/worst-truth';
import { ext } from '../platform/browser';

let last = '';

export async function showBadge(badge: Badge): Promise<void> {
  const key = JSON.stringify(badge);
  if (key === last) return;
  try {
    await Promise.all([
      ext.action.setBadgeBackgroundColor({ color: badge.color }),
      ext.action.setBadgeText({ text: badge.text }),
      ext.action.setTitle({ title: badge.title }),
    ]);
    last = key;
  } catch {
    // The action API can refuse during shutdown; the next refresh tries again.
  }
}
