export type BrowserPlan = { action: 'use'; path: string } | { action: 'install'; commands: string[][] } | { action: 'advise'; command: string };
export declare function planBrowserSetup(machine: { found: string | undefined; isRoot: boolean; passwordlessSudo: boolean; hasApt: boolean }): BrowserPlan;
