/**
 * Handlers only Lifeline's own extension pages (popup, options) may call: never a content script
 * in a tab, whatever it sends. Both pages are extension pages, so Chromium always reports their
 * URL under the extension's origin; a sender without a URL is refused.
 */
import { onMessage, type ProtocolMap } from '../../messages';
import { ext, type MessageSender } from '../../platform/browser';

export function isOwnPage(sender: MessageSender): boolean {
  return sender.id === ext.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(ext.runtime.getURL(''));
}

type Handler<K extends keyof ProtocolMap> = Parameters<typeof onMessage<K>>[1];

/** onMessage for a message only Lifeline's pages may send; any other sender gets an error. */
export function onOwnPageMessage<K extends keyof ProtocolMap>(type: K, handler: Handler<K>): void {
  onMessage(type, (message) => {
    if (!isOwnPage(message.sender)) throw new Error(`${type} is for Lifeline pages only`);
    return handler(message);
  });
}
