/** The site key of the per-site switch and of wallet evidence: the origin, so it covers the
 *  whole site. */
export function siteOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
