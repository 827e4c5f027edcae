/**
 * Browser links into a Pyramid server: built from the configured server URL (keeping the path of a
 * server installed under one) and an encoded id only. A token never goes into a URL: the pages rely on
 * the browser's own Pyramid session. No `vscode` import.
 */

/** `<server>/fileDownload?outputId=<id>`: the download page of a task's output, for a signed-in browser. */
export function fileDownloadUrl(serverUrl: string, outputId: string): string {
  return pageUrl(serverUrl, 'fileDownload', 'outputId', outputId);
}

/** `<server>/direct/?id=<id>`: a content item opened in the Pyramid web client. */
export function directUrl(serverUrl: string, itemId: string): string {
  return pageUrl(serverUrl, 'direct/', 'id', itemId);
}

function pageUrl(serverUrl: string, page: string, parameter: string, value: string): string {
  const base = new URL(serverUrl);
  base.search = '';
  base.hash = '';
  base.username = '';
  base.password = '';
  if (!base.pathname.endsWith('/')) {
    base.pathname = `${base.pathname}/`;
  }
  const url = new URL(page, base);
  url.search = `${parameter}=${encodeURIComponent(value)}`;
  return url.href;
}
