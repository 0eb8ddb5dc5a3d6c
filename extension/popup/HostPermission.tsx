import { useEffect, useState } from 'preact/hooks';
import { ext, hostAccess, requestHostAccess } from '../platform/browser';

/**
 * Asks for access to websites when the browser has not granted it. Firefox lets the user
 * withhold or revoke an add-on's host permissions; without them Lifeline can neither guard a
 * page's wallet nor see or redirect a dApp's RPC requests, and would otherwise just do nothing.
 * Renders nothing while access is granted (always, in Chromium).
 */
export function HostPermission() {
  const [granted, setGranted] = useState<boolean | null>(null);
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    const check = () => void hostAccess().then((access) => setGranted(access.granted));
    check();
    // The user can also change it in the browser's add-on settings while the popup is open.
    ext.permissions?.onAdded?.addListener(check);
    ext.permissions?.onRemoved?.addListener(check);
    return () => {
      ext.permissions?.onAdded?.removeListener(check);
      ext.permissions?.onRemoved?.removeListener(check);
    };
  }, []);

  if (granted !== false) return null;

  const ask = async () => {
    // Must run inside the click: the browser shows its prompt only for a user gesture.
    const ok = await requestHostAccess();
    setRefused(!ok);
    setGranted(ok);
  };

  return (
    <section class="repair" data-testid="host-permission" aria-labelledby="host-permission-title">
      <h3 id="host-permission-title">Lifeline needs access to websites</h3>
      <p class="small">
        Without it, Lifeline cannot keep your wallet's reads working on dApp pages or move a dApp to a working RPC when its own
        goes down. Lifeline reads only the RPC requests pages make; see its privacy notes.
      </p>
      <button type="button" onClick={() => void ask()}>
        Allow access to websites
      </button>
      {refused ? <p class="small" role="status">Not allowed. You can allow it later here, or in the browser's add-on settings.</p> : null}
    </section>
  );
}
