/** Saves text as a file through the browser's download (extension pages: no downloads permission needed). */
export function downloadText(text: string, filename: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: the download reads the blob asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
