import { onMessage } from '../messages';

// Module-level state is lost whenever Chromium stops the worker; anything that must survive
// lives in chrome.storage (see later issues). startedAt lets tests observe a restart.
const startedAt = Date.now();

onMessage('ping', () => ({ version: chrome.runtime.getManifest().version, startedAt }));
