/**
 * Saves content the kiosk produced (a CSV report, an employee's data export) as a file the
 * browser downloads: a Blob behind an object URL and a temporary <a download>. No Node, no
 * Electron: the same code works in the app window and in a plain browser.
 */
export function downloadFile(filename: string, content: Blob): void {
  const url = URL.createObjectURL(content);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
