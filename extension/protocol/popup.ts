/** Messages of the popup (health view, actions), the badge and the timeline. Part of the one
 *  protocol in extension/messages.ts. */
export interface PopupProtocol {}
