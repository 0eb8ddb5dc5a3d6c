/**
 * Failover notifications: one when an episode starts and one when it ends, already rate-limited by
 * the episode tracker (src/status/episodes.ts). The user can turn them off (local
 * `notificationsEnabled`, default on).
 */
import type { Notice } from '../../src/status/episodes';
import { local } from './lib/storage';
import { ext } from '../platform/browser';

export async function notify(notices: readonly Notice[]): Promise<void> {
  if (notices.length === 0 || !(await local.get('notificationsEnabled'))) return;
  for (const n of notices) {
    try {
      await ext.notifications.create(n.id, {
        type: 'basic',
        iconUrl: ext.runtime.getURL('icons/icon-128.png'),
        title: n.title,
        message: n.message,
        priority: n.kind === 'start' ? 1 : 0,
      });
    } catch {
      // Notifications may be blocked by the OS or the user; the badge and timeline still say it.
    }
  }
}

export function registerNotifications(): void {
  // A click opens the popup's view in a tab (the action popup cannot be opened programmatically
  // everywhere), then the notification goes away.
  ext.notifications?.onClicked?.addListener((id) => {
    if (!id.startsWith('lifeline-episode-')) return;
    void ext.tabs.create({ url: ext.runtime.getURL('extension/popup/index.html') });
    void ext.notifications.clear(id);
  });
}
