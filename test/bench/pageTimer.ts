// Times what the user sees inside the page itself: from the pointer press that starts an action to
// the first animation frame after the DOM shows the result, with no polling from the test in between.
// The page scripts are strings: they run in the browser, whose DOM types this Node project does not load.
import type { Page } from 'playwright-core';
import { withTimeout } from '../host/timing';

export interface PageTiming {
  /** From the press to the DOM change that shows the result. */
  shownMs: number;
  /** From the press to the next animation frame after it: when it is painted. */
  paintedMs: number;
}

const INSTALL = `if (!window.__bench) {
  window.__bench = { press: 0, waits: {} };
  document.addEventListener('pointerdown', () => { window.__bench.press = performance.now(); }, true);
}`;

/** Starts watching for `condition`, a JavaScript expression over the page's document. */
export async function armWait(page: Page, name: string, condition: string): Promise<void> {
  await page.evaluate(`(() => {
    ${INSTALL}
    const bench = window.__bench;
    const met = () => (${condition});
    bench.waits[${JSON.stringify(name)}] = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!met()) return;
        observer.disconnect();
        const shown = performance.now();
        requestAnimationFrame(() => resolve({ shownMs: shown - bench.press, paintedMs: performance.now() - bench.press }));
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  })()`);
}

export function readWait(page: Page, name: string, timeoutMs = 30_000): Promise<PageTiming> {
  return withTimeout(page.evaluate(`window.__bench.waits[${JSON.stringify(name)}]`) as Promise<PageTiming>, timeoutMs, `the page never showed "${name}"`);
}

/** A row of the given depth (1: groups, 2: schedules) in the view whose pane is titled `view`. */
export function treeRowShown(view: string, level: number): string {
  return `[...document.querySelectorAll('.part.sidebar .pane')].some((pane) =>
    pane.querySelector('.pane-header h3.title')?.textContent.trim() === ${JSON.stringify(view)} &&
    pane.querySelector('.monaco-list-row[aria-level="${level}"]'))`;
}

/** The status bar item with this id shows text matching `pattern`. */
export function statusBarShows(itemId: string, pattern: RegExp): string {
  return `new RegExp(${JSON.stringify(pattern.source)}).test((document.getElementById(${JSON.stringify(itemId)})?.textContent ?? '').trim())`;
}
