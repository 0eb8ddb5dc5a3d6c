/** The toolbar badge: colour and text from the status (src/status/assess.ts badgeFor), tooltip says why. */
import type { Badge } from '../../src/status/assess';

let last = '';

export async function showBadge(badge: Badge): Promise<void> {
  const key = JSON.stringify(badge);
  if (key === last) return;
  try {
    await Promise.all([
      chrome.action.setBadgeBackgroundColor({ color: badge.color }),
      chrome.action.setBadgeText({ text: badge.text }),
      chrome.action.setTitle({ title: badge.title }),
    ]);
    last = key;
  } catch {
    // The action API can refuse during shutdown; the next refresh tries again.
  }
}
