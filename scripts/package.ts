/**
 * npm run package: store-ready archives of both builds, named with package.json's version:
 * packages/lifeline-chrome-<v>.zip (Chrome Web Store) and packages/lifeline-firefox-<v>.xpi
 * (a zip; addons.mozilla.org takes it as is). Each carries PRIVACY.md (docs/privacy.md).
 * Builds first, so an archive never holds a stale build. Entries are sorted and dated
 * 1980-01-02, so the same sources give the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

const root = resolve(import.meta.dirname, '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
// Local time (zip stores local dates) one day after the format's earliest, in any time zone.
const FIXED_DATE = new Date(1980, 0, 2);

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

export function archive(buildDir: string, extra: Record<string, Uint8Array>): Uint8Array {
  const entries: Zippable = {};
  for (const file of filesUnder(buildDir)) entries[relative(buildDir, file).split('\\').join('/')] = [readFileSync(file), { mtime: FIXED_DATE }];
  for (const [name, bytes] of Object.entries(extra)) entries[name] = [bytes, { mtime: FIXED_DATE }];
  return zipSync(entries, { level: 9 });
}

function main(): void {
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  execFileSync('npm', ['run', 'build:firefox'], { cwd: root, stdio: 'inherit' });
  const privacy = { 'PRIVACY.md': readFileSync(join(root, 'docs/privacy.md')) };
  const out = join(root, 'packages');
  mkdirSync(out, { recursive: true });
  const targets = [
    { dir: 'dist', file: `lifeline-chrome-${version}.zip` },
    { dir: 'dist-firefox', file: `lifeline-firefox-${version}.xpi` },
  ];
  for (const { dir, file } of targets) {
    const built = JSON.parse(readFileSync(join(root, dir, 'manifest.json'), 'utf8')) as { version: string };
    if (built.version !== version) throw new Error(`${dir}/manifest.json has version ${built.version}, package.json ${version}`);
    const bytes = archive(join(root, dir), privacy);
    writeFileSync(join(out, file), bytes);
    console.log(`[package] ${relative(root, join(out, file))} (${(bytes.length / 1024).toFixed(1)} KiB)`);
  }
}

main();
