import { describe, expect, it } from 'vitest';
import manifestJson from '../manifest.json' with { type: 'json' };
import { FIREFOX_MIN_VERSION, GECKO_ID, firefoxManifest, type Manifest } from './firefox-manifest';

const chromeManifest = { ...manifestJson, background: { ...manifestJson.background, type: 'module' as const } };

describe('firefoxManifest', () => {
  const firefox: Manifest = firefoxManifest(chromeManifest);

  it('turns the service worker into a module background script', () => {
    expect(firefox.background).toEqual({ scripts: [chromeManifest.background.service_worker], type: 'module' });
  });

  it('names the gecko id and a minimum version that runs MAIN-world content scripts', () => {
    expect(firefox.browser_specific_settings).toMatchObject({ gecko: { id: GECKO_ID, strict_min_version: FIREFOX_MIN_VERSION } });
    expect(Number.parseFloat(FIREFOX_MIN_VERSION)).toBeGreaterThanOrEqual(128);
  });

  it('drops Chrome-only keys and keeps everything else as is', () => {
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
    expect(firefox.content_scripts).toEqual(chromeManifest.content_scripts);
    expect(firefox.permissions).toEqual(chromeManifest.permissions);
    expect(firefox.version).toBe(chromeManifest.version);
  });

  it('refuses a manifest without a background worker', () => {
    expect(() => firefoxManifest({ manifest_version: 3, name: 'x', version: '1' })).toThrow(/service_worker/);
  });
});
