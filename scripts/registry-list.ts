/**
 * Prints the default registry for audit and tooling:
 *
 *   npm run registry:list            one line per endpoint
 *   npm run registry:list -- --json  [{chainId, name, testnet, endpoints: [{url, provider, infrastructure, privacy, enabledByDefault}]}]
 */
import { fileURLToPath } from 'node:url';
import { CHAINS } from '../src/registry/chains.ts';
import { defaultEndpointsForChain } from '../src/registry/defaults.ts';
import type { Infrastructure, PrivacyLabel } from '../src/types.ts';

export interface ListedEndpoint {
  url: string;
  provider: string;
  infrastructure: Infrastructure;
  privacy: PrivacyLabel;
  enabledByDefault: boolean;
}

export interface ListedChain {
  chainId: number;
  name: string;
  testnet: boolean;
  endpoints: ListedEndpoint[];
}

export function registryList(): ListedChain[] {
  return CHAINS.map((chain) => ({
    chainId: chain.chainId,
    name: chain.name,
    testnet: chain.testnet,
    endpoints: defaultEndpointsForChain(chain.chainId).map((e) => ({
      url: e.url,
      provider: e.provider,
      infrastructure: e.infrastructure,
      privacy: e.privacy,
      enabledByDefault: e.enabled,
    })),
  }));
}

export function formatRegistryList(chains: readonly ListedChain[]): string {
  const lines: string[] = [];
  for (const chain of chains) {
    lines.push(`${chain.chainId} ${chain.name}${chain.testnet ? ' (testnet)' : ''}: ${chain.endpoints.length} endpoints`);
    for (const e of chain.endpoints) lines.push(`  ${e.enabledByDefault ? 'on ' : 'off'} ${e.url}  ${e.provider} · ${e.infrastructure} · privacy ${e.privacy}`);
  }
  return lines.join('\n');
}

export function main(argv: readonly string[], write: (text: string) => void = (t) => process.stdout.write(t)): number {
  const unknown = argv.filter((a) => a !== '--json');
  if (unknown.length > 0) {
    process.stderr.write(`registry:list: unknown argument ${unknown[0]} (only --json)\n`);
    return 2;
  }
  const list = registryList();
  write(`${argv.includes('--json') ? JSON.stringify(list, null, 2) : formatRegistryList(list)}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
