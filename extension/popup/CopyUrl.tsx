import { useState } from 'preact/hooks';

/** A healthy RPC URL with a Copy button, for giving it to a wallet by hand. */
export function CopyUrl({ url, chainName, testId }: { url: string; chainName: string; testId: string }) {
  const [result, setResult] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setResult('Copied.');
    } catch {
      setResult('Copy failed: select the URL and copy it by hand.');
    }
  };
  return (
    <>
      <div class="row">
        <code class="url" data-testid={testId}>{url}</code>
        <button type="button" onClick={copy} aria-label={`Copy the healthy RPC URL for ${chainName}`}>Copy</button>
      </div>
      {result ? <p class="small" role="status">{result}</p> : null}
    </>
  );
}
