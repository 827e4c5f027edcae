/**
 * Tooltips are Markdown. Ours are built from our own Markdown (bold names, tables) around server text
 * escaped by `markdownText`, in a MarkdownString that is never trusted, renders no HTML and expands
 * no theme icons: a link, image, tag or `$(icon)` of the server's stays text.
 */
import * as vscode from 'vscode';

export function inertMarkdown(markdown = ''): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(markdown, false);
  tooltip.isTrusted = false;
  tooltip.supportHtml = false;
  return tooltip;
}
