/**
 * Every number Lifeline decides with, each with the reason it has that value, in one folder:
 * the engine's routing and health (`engine.ts`), the wallet guard and relay (`wallet.ts`), the
 * worker's own rhythm (`shell.ts`), the popup, episodes and services (`status.ts`), the
 * redirects of pages' own RPC traffic (`page-traffic.ts`), the user's configuration file
 * (`config.ts`) and the size of the default registry (`registry.ts`).
 */
export * from './engine.ts';
export * from './wallet.ts';
export * from './shell.ts';
export * from './status.ts';
export * from './page-traffic.ts';
export * from './config.ts';
export * from './verify.ts';
export * from './registry.ts';
