import { defineExtensionMessaging } from '@webext-core/messaging';

/**
 * The one typed protocol between Lifeline's trusted contexts (worker, bridge, popup, options).
 * Page (MAIN-world) messages never use this map directly: the isolated bridge validates them
 * first and only then speaks this protocol on the page's behalf.
 */
export interface WorkerStatus {
  version: string;
  /** Worker start time (ms since epoch); changes when the worker is restarted. */
  startedAt: number;
}

export interface ProtocolMap {
  /** Liveness check; also tells whether the worker restarted since the last call. */
  ping(): WorkerStatus;
}

export const messenger = defineExtensionMessaging<ProtocolMap>();
export const { sendMessage, onMessage } = messenger;
