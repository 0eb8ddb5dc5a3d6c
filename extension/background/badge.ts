/** The toolbar badge: colour and text from the status (src/status/assess.ts badgeFor), tooltip says why. */
import type { Badge } from '../../src/status/assess';
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
