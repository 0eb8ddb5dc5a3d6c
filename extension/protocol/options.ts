/** Messages of the options page (configuration, endpoint checks). Part of the one protocol in
 *  extension/messages.ts. */
export interface OptionsProtocol {}
