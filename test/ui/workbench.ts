// Page object for the VS Code workbench as code-server serves it: what a user sees and clicks,
// so that journeys read as steps rather than selectors.
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { screenshotDir } from '../host/paths';

export interface StatusBarItem {
  /** e.g. 'pyramid-community.pyramid-schedules.connection' for an extension's item. */
  id: string;
  text: string;
  ariaLabel: string;
}

/** How long a step waits for the window to show something before the test fails. */
const UI_TIMEOUT_MS = 20_000;
/** Where VS Code in a browser keeps the global state of the default profile (its IndexedDB database). */
const GLOBAL_STATE_DATABASE = 'vscode-web-state-db-global';
/** VS Code's last line in a task's terminal, once the task has ended. */
export const TASK_ENDED = /^ \* {2}Terminal will be reused by tasks, press any key to close it\.$/;
/** How often a wait looks at the window again. */
const POLL_MS = 100;
/** How long one try at the command palette, an activity-bar entry or a menu item may take before it starts again. */
const ATTEMPT_MS = 2_000;

export class Workbench {
  constructor(readonly page: Page) {}

  async waitUntilReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor();
    await this.page.locator('.part.statusbar').waitFor();
  }

  /** Opens a view container (e.g. 'Pyramid') from its activity-bar entry, unless the side bar shows it already. */
  async openViewContainer(label: string): Promise<void> {
    const title = this.sideBarTitle(label);
    // Clicking the entry of the container on show would hide the side bar, and a window that restores
    // the container may show it only after the first look: then the next click shows it again.
    const deadline = Date.now() + UI_TIMEOUT_MS;
    while (!(await title.isVisible())) {
      await this.page.locator(`.activitybar .action-label[aria-label^="${label}"]`).click();
      await this.moveMouseAway(); // so that no tooltip of the entry stays up
      const shown = await title.waitFor({ timeout: ATTEMPT_MS }).then(
        () => true,
        () => false,
      );
      if (!shown && Date.now() > deadline) {
        throw new Error(`the side bar does not show the "${label}" view container`);
      }
    }
    // The side bar shows a progress bar while the extension activates for its views.
    await this.page.locator('.part.sidebar .monaco-progress-container.active').waitFor({ state: 'hidden' });
  }

  /** The side bar's title while it shows this view container: 'Pyramid: Schedules' (one view) or 'Explorer'. */
  private sideBarTitle(label: string): Locator {
    return this.page.locator('.part.sidebar .composite.title h2', { hasText: new RegExp(`^${escapeRegExp(label)}(:|$)`, 'i') });
  }

  /** Drags the side bar's edge so that it is `width` pixels wide (long tree rows then fit). */
  async resizeSideBar(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) {
      throw new Error('the side bar is not shown');
    }
    const edgeX = box.x + box.width + 1;
    const middleY = box.y + box.height / 2;
    await this.page.mouse.move(edgeX, middleY);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, middleY, { steps: 5 });
    await this.page.mouse.up();
    await this.moveMouseAway();
  }

  /** The labels of the actions in the side bar's title, e.g. ['Refresh Schedules', 'Filter Schedules', ...]. */
  async viewTitleActions(): Promise<string[]> {
    const labels = await this.page.locator('.part.sidebar .composite.title .title-actions .action-label').evaluateAll((actions) => actions.map((action) => action.getAttribute('aria-label') ?? ''));
    return labels.filter(Boolean);
  }

  /** Waits until the side bar's title shows the action `label` (`shown`), or no longer shows it. */
  async waitForViewTitleAction(label: string, shown: boolean): Promise<string[]> {
    return this.waitUntil(`the view title action "${label}" to be ${shown ? 'shown' : 'gone'}`, () => this.viewTitleActions(), (labels) => labels.includes(label) === shown);
  }

  /** The number on an activity-bar entry (e.g. 'Pyramid'), '' when it shows none. */
  async activityBarBadge(label: string): Promise<string> {
    const badge = this.activityBarEntry(label).locator('.badge');
    return (await badge.isVisible()) ? (await badge.innerText()).trim() : '';
  }

  /** Waits until the activity-bar entry's number matches, e.g. /^1$/ (or /^$/ for none). */
  async waitForActivityBarBadge(label: string, expected: RegExp): Promise<string> {
    return this.waitUntil(`the badge of "${label}"`, () => this.activityBarBadge(label), (text) => expected.test(text));
  }

  /** What a screen reader says of an activity-bar entry: its title, then its badge's tooltip. */
  async activityBarLabel(label: string): Promise<string> {
    return (await this.activityBarEntry(label).getAttribute('aria-label')) ?? '';
  }

  private activityBarEntry(label: string): Locator {
    return this.page.locator('.activitybar .action-item').filter({ has: this.page.locator(`.action-label[aria-label^="${label}"]`) });
  }

  /** Rests the mouse over the empty editor area, where it neither hovers nor reveals anything. */
  async moveMouseAway(): Promise<void> {
    const editor = await this.page.locator('.part.editor').boundingBox();
    if (editor) {
      await this.page.mouse.move(editor.x + editor.width * 0.9, editor.y + 10);
    }
  }

  /**
   * Leaves a tree view with no focused row (Escape in the tree), then clicks the empty editor area: no
   * row shows an outline or its inline actions.
   */
  async clearTreeFocus(viewTitle: string): Promise<void> {
    await this.view(viewTitle).locator('.monaco-list').focus();
    await this.page.keyboard.press('Escape');
    await this.moveMouseAway();
    await this.page.mouse.down();
    await this.page.mouse.up();
  }

  /** The side-bar pane of a view, by the title in its header (e.g. 'Schedules'). */
  view(title: string): Locator {
    const header = this.page.locator('.pane-header h3.title', { hasText: new RegExp(`^${title}$`) });
    return this.page.locator('.part.sidebar .pane').filter({ has: header });
  }

  /** The text a view shows while it has nothing else to show (its viewsWelcome content). */
  async welcomeText(viewTitle: string): Promise<string> {
    const content = this.view(viewTitle).locator('.welcome-view-content');
    await content.waitFor();
    return content.innerText();
  }

  /** The rows a tree view currently renders (only the visible ones), one text per row. */
  async treeRows(viewTitle: string): Promise<string[]> {
    const rows = await this.view(viewTitle).locator('.monaco-list-row').allInnerTexts();
    return rows.map((row) => row.replace(/\s+/g, ' ').trim());
  }

  /** The tree row whose item label is exactly `label`. */
  treeRow(viewTitle: string, label: string): Locator {
    const name = this.page.locator('.label-name', { hasText: exactly(label) });
    return this.view(viewTitle).locator('.monaco-list-row').filter({ has: name });
  }

  /** The description the first row labelled `label` shows after its label, e.g. 'Sales Model'; '' when it has none. */
  async rowDescription(viewTitle: string, label: string): Promise<string> {
    // allInnerTexts does not wait, so a row the tree re-renders at that moment reads as '' and is read again.
    const [description = ''] = await this.treeRow(viewTitle, label).locator('.label-description').allInnerTexts();
    return description.trim();
  }

  /** Waits until the row's description matches, e.g. /suspended/. */
  async waitForRowDescription(viewTitle: string, label: string, expected: RegExp, timeout = UI_TIMEOUT_MS): Promise<string> {
    return this.waitUntil(`the description of "${label}"`, () => this.rowDescription(viewTitle, label), (text) => expected.test(text), timeout);
  }

  /** Clicks a tree row's label, as a user selects it. */
  async clickTreeRow(viewTitle: string, label: string): Promise<void> {
    await this.treeRow(viewTitle, label).locator('.label-name').click();
  }

  /**
   * The document inside the active editor's webview: VS Code wraps it in two frames, the outer one
   * marked `ready` once its content frame is set up.
   */
  webviewContent(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  /** The titles of the editor tabs, e.g. ['Nightly Sales Load']. */
  async editorTabTitles(): Promise<string[]> {
    const titles = await this.page.locator('.part.editor .tabs-container .tab .label-name').allInnerTexts();
    return titles.map((title) => title.trim());
  }

  /** Hovers a tree row and clicks one of the inline actions it then shows, e.g. 'Run Schedule'. */
  async clickRowAction(viewTitle: string, label: string, action: string): Promise<void> {
    const row = this.treeRow(viewTitle, label);
    await row.hover();
    await row.locator(`.actions .action-label[aria-label="${action}"]`).click();
    await this.moveMouseAway();
  }

  /** Right-clicks a tree row and returns the labels of the context menu it opens, which stays open. */
  async openContextMenu(row: Locator): Promise<string[]> {
    await row.click({ button: 'right' });
    const items = this.contextMenuItems();
    await items.first().waitFor();
    const labels = await items.allInnerTexts();
    return labels.map((label) => label.trim()).filter(Boolean); // separators have no label
  }

  /**
   * Clicks an item of the open context menu, e.g. 'Pin Schedule'. Clicks again while the menu stays
   * open: a menu that has just opened may let a click pass without acting on it.
   */
  async clickContextMenuItem(label: string): Promise<void> {
    const item = this.contextMenuItems().filter({ hasText: exactly(label) });
    const menu = this.contextMenuItems().first();
    const deadline = Date.now() + UI_TIMEOUT_MS;
    for (;;) {
      try {
        await item.click({ timeout: ATTEMPT_MS });
        await menu.waitFor({ state: 'hidden', timeout: ATTEMPT_MS });
        break;
      } catch (error) {
        if (!(await menu.isVisible())) {
          break; // the click acted, and the menu closed in the meantime
        }
        if (Date.now() > deadline) {
          throw new Error(`the context menu item "${label}" did not act: ${(error as Error).message}`);
        }
      }
    }
    await this.moveMouseAway();
  }

  async closeContextMenu(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.contextMenuItems().first().waitFor({ state: 'hidden' });
  }

  private contextMenuItems(): Locator {
    return this.page.locator('.context-view .monaco-menu .action-item .action-label');
  }

  /** Runs a command from the F1 palette by its full title, e.g. 'Pyramid: Show Output'. */
  async runCommand(title: string): Promise<void> {
    const row = await this.inPalette(title, (found) => found.click({ timeout: ATTEMPT_MS }));
    // The command may open a quick pick of its own at once, so wait for the palette's row to go, not the widget.
    await row.waitFor({ state: 'hidden' });
  }

  /**
   * Opens the palette on a command, its only match, and leaves it there; the function returned runs
   * it with Enter. So several windows can run a command at the same moment.
   */
  async readyCommand(title: string): Promise<() => Promise<void>> {
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    const row = await this.inPalette(title, async (found) => {
      await found.waitFor({ timeout: ATTEMPT_MS });
      if ((await rows.count()) !== 1) {
        throw new Error(`the palette lists more than "${title}"`);
      }
    });
    return async () => {
      await this.page.keyboard.press('Enter');
      await row.waitFor({ state: 'hidden' });
    };
  }

  /**
   * Opens the palette, types `>title` and does `act` with the command's row; returns the row. Retries
   * for a while: until the extension host has registered the extensions the palette does not list
   * their commands, and a part that takes the focus just then (e.g. the Output panel) closes the palette.
   */
  private async inPalette(title: string, act: (row: Locator) => Promise<void>): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget input');
    const row = this.quickPickRow(title);
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await this.page.keyboard.press('F1');
        await input.fill(`>${title}`, { timeout: ATTEMPT_MS });
        await act(row);
        return row;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`could not run "${title}" from the command palette: ${(error as Error).message}`);
        }
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Waits for the quick pick or input box titled exactly `title`, e.g. 'Run Schedule'. */
  async waitForQuickInput(title: string): Promise<void> {
    const titleBar = this.page.locator('.quick-input-widget .quick-input-title', { hasText: exactly(title) });
    await titleBar.waitFor({ timeout: UI_TIMEOUT_MS });
  }

  /** The labels the open quick pick lists (only the rendered ones). */
  async quickPickLabels(): Promise<string[]> {
    const labels = await this.page.locator('.quick-input-list .monaco-list-row .quick-input-list-row:first-child .label-name').allInnerTexts();
    return labels.map((label) => label.trim());
  }

  /** Types `label` into the open quick pick to filter it, then clicks the item with exactly that label. */
  async pickQuickPickItem(label: string): Promise<void> {
    await this.page.locator('.quick-input-widget input').fill(label);
    await this.quickPickRow(label).click();
  }

  /** The row of the open quick pick whose label (not its description or detail) is exactly `label`. */
  private quickPickRow(label: string): Locator {
    const name = this.page.locator('.quick-input-list-row:first-child .label-name', { hasText: exactly(label) });
    return this.page.locator('.quick-input-list .monaco-list-row').filter({ has: name });
  }

  /**
   * Opens a file of the workspace in the editor through Quick Open: its name typed into the palette
   * without '>' searches the files. Types it again while the search has not found it yet.
   */
  async openFile(name: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    const row = this.quickPickRow(name);
    const deadline = Date.now() + UI_TIMEOUT_MS;
    for (;;) {
      try {
        await this.page.keyboard.press('F1');
        await input.fill(name, { timeout: ATTEMPT_MS });
        await row.first().click({ timeout: ATTEMPT_MS });
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`Quick Open does not find "${name}": ${(error as Error).message}`);
        }
        await this.page.keyboard.press('Escape');
      }
    }
    await this.page.locator('.part.editor .tabs-container .tab.active .label-name', { hasText: exactly(name) }).waitFor();
  }

  /** Types into the open input box or quick pick (e.g. a prompt for a server URL) and submits. */
  async answerQuickInput(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(text);
    await input.press('Enter');
  }

  /** The channel the Output panel shows, once the panel is open. */
  async shownOutputChannel(): Promise<string> {
    const channelPicker = this.page.locator('.part.panel .monaco-select-box').first();
    await channelPicker.waitFor();
    return channelPicker.inputValue();
  }

  /**
   * The lines the Output panel shows. The panel wraps long lines; every line of a log channel starts
   * with a timestamp, so a shown line without one is the rest of the line above.
   */
  async outputLogLines(): Promise<string[]> {
    const shown = await this.page.locator('.part.panel .view-lines .view-line').evaluateAll((lines) =>
      lines
        .map((line) => ({ top: parseFloat((line as unknown as { style: { top: string } }).style.top), text: line.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((line) => line.text.replace(/\u00a0/g, ' ')),
    );
    const lines: string[] = [];
    for (const text of shown) {
      if (/^\d{4}-\d\d-\d\d /.test(text) || lines.length === 0) {
        lines.push(text);
      } else {
        lines[lines.length - 1] += text;
      }
    }
    return lines;
  }

  /** Waits until the Output panel shows a line matching `expected` and returns it. */
  async waitForOutputLine(expected: RegExp): Promise<string> {
    const lines = await this.waitUntil('the Output panel', () => this.outputLogLines(), (shown) => shown.some((line) => expected.test(line)));
    return lines.find((line) => expected.test(line))!;
  }

  /**
   * "Tasks: Run Task", then the task labelled `label` (e.g. a tasks.json label), or, given a `group`
   * (a task type such as 'pyramid'), that group first and then the task in it. Opens the pick again
   * while it lacks the task: VS Code reads a tasks.json written a moment ago only once it sees the change.
   */
  async runTask(label: string, group?: string): Promise<void> {
    const deadline = Date.now() + UI_TIMEOUT_MS;
    for (;;) {
      await this.runCommand('Tasks: Run Task');
      try {
        if (group !== undefined) {
          await this.quickPickRow(group).click({ timeout: ATTEMPT_MS });
        }
        await this.page.locator('.quick-input-widget input').fill(label);
        await this.quickPickRow(label).first().click({ timeout: ATTEMPT_MS }); // a recent task is listed twice
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`"Tasks: Run Task" does not offer "${label}": ${(error as Error).message}`);
        }
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** The terminal the panel shows: its rows of text, rendered in the DOM (`terminal.integrated.gpuAcceleration` off). */
  private terminalRows(): Locator {
    return this.page.locator('.part.panel .xterm-rows').filter({ visible: true }).locator(':scope > div');
  }

  /**
   * The text of the terminal the panel shows, one string per row on screen, blanks at the ends of rows
   * and blank rows at the end left out. A line longer than the terminal is wide goes on over several rows;
   * lines scrolled out of view are not there. The rows are only rendered in the DOM with
   * `"terminal.integrated.gpuAcceleration": "off"`.
   */
  async terminalText(): Promise<string[]> {
    const rows = (await this.terminalRows().allTextContents()).map((row) => row.replace(/\u00a0/g, ' ').trimEnd());
    while (rows.length > 0 && rows[rows.length - 1] === '') {
      rows.pop();
    }
    return rows;
  }

  /** Waits until a row of the terminal the panel shows matches `expected`, and returns that row. */
  async waitForTerminalRow(expected: RegExp, timeout = UI_TIMEOUT_MS): Promise<string> {
    const rows = await this.waitUntil(`a terminal row matching ${expected}`, () => this.terminalText(), (shown) => shown.some((row) => expected.test(row)), timeout);
    return rows.find((row) => expected.test(row))!;
  }

  /**
   * Waits until the terminal shows that the task labelled `label` has ended (VS Code's " *  Terminal will
   * be reused by tasks" after its " *  Executing task: <label>"), and returns the rows from the latter on.
   */
  async waitForTaskEnd(label: string, timeout = UI_TIMEOUT_MS): Promise<string[]> {
    const ofTask = (rows: string[]) => {
      const start = rows.lastIndexOf(` *  Executing task: ${label}`);
      return start < 0 ? [] : rows.slice(start);
    };
    const rows = await this.waitUntil(`the end of the task "${label}" in the terminal`, () => this.terminalText(), (shown) => ofTask(shown).some((row) => TASK_ENDED.test(row)), timeout);
    return ofTask(rows);
  }

  /** Drags the panel's top edge so that the panel (e.g. a terminal) is `height` pixels high. */
  async resizePanel(height: number): Promise<void> {
    const box = await this.page.locator('.part.panel').boundingBox();
    if (!box) {
      throw new Error('the panel is not shown');
    }
    const middleX = box.x + box.width / 2;
    await this.page.mouse.move(middleX, box.y - 1);
    await this.page.mouse.down();
    await this.page.mouse.move(middleX, box.y + box.height - height, { steps: 5 });
    await this.page.mouse.up();
    await this.moveMouseAway();
    // The edge stays highlighted while its colour fades out: a picture taken sooner shows a blue line.
    await this.page.waitForFunction(`!document.getAnimations().some((animation) => animation.effect?.target?.classList.contains('monaco-sash'))`);
  }

  /** The modal dialog on screen (e.g. a question with Run and Cancel). */
  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  /** Waits for a modal dialog whose message matches `message`; returns its message, its detail and its buttons' labels. */
  async waitForDialog(message: RegExp, timeout = UI_TIMEOUT_MS): Promise<{ message: string; detail: string; buttons: string[] }> {
    const text = this.dialog().locator('.dialog-message-text', { hasText: message });
    await text.waitFor({ timeout });
    const [detail = ''] = await this.dialog().locator('.dialog-message-detail').allInnerTexts();
    const buttons = await this.dialog().locator('.dialog-buttons .monaco-button').allInnerTexts();
    return { message: (await text.innerText()).trim(), detail: detail.trim(), buttons: buttons.map((button) => button.trim()) };
  }

  /** Answers the modal dialog with one of its buttons, e.g. 'Cancel', and waits for it to close. */
  async clickDialogButton(label: string): Promise<void> {
    await this.dialog().locator('.dialog-buttons .monaco-button', { hasText: exactly(label) }).click();
    await this.dialog().waitFor({ state: 'hidden' });
  }

  /** The notification toasts on screen (not the ones only in the notification centre). */
  notificationToasts(): Locator {
    return this.page.locator('.notifications-toasts .notification-toast');
  }

  /** The toast whose message matches `message`. */
  notification(message: RegExp): Locator {
    const text = this.page.locator('.notification-list-item-message', { hasText: message });
    return this.notificationToasts().filter({ has: text });
  }

  /** Waits for a toast whose message matches `message` and returns its message text. */
  async waitForNotification(message: RegExp, timeout = UI_TIMEOUT_MS): Promise<string> {
    const text = this.notification(message).locator('.notification-list-item-message');
    await text.waitFor({ timeout });
    return text.innerText();
  }

  /** The labels of the buttons of the toast whose message matches `message`. */
  async notificationButtons(message: RegExp): Promise<string[]> {
    return this.notification(message).locator('.monaco-button').allInnerTexts();
  }

  async clickNotificationButton(message: RegExp, button: string): Promise<void> {
    await this.notification(message).locator('.monaco-button', { hasText: exactly(button) }).click();
  }

  async statusBarItems(): Promise<StatusBarItem[]> {
    return this.page.locator('.part.statusbar .statusbar-item').evaluateAll((items) =>
      items.map((item) => ({
        id: item.id,
        text: (item as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ').trim(),
        ariaLabel: item.getAttribute('aria-label') ?? '',
      })),
    );
  }

  /** A status bar item by its id. */
  statusBarItem(id: string): Locator {
    return this.page.locator(`.part.statusbar .statusbar-item[id="${id}"]`);
  }

  /** The text a status bar item shows; '' when it is hidden. */
  async statusBarText(id: string): Promise<string> {
    const [text = ''] = await this.statusBarItem(id).allInnerTexts();
    return text.trim();
  }

  /** Waits until the status bar item shows text matching `expected` and returns that text. */
  async waitForStatusBarText(id: string, expected: RegExp, timeout = UI_TIMEOUT_MS): Promise<string> {
    return this.waitUntil(`the status bar item ${id}`, () => this.statusBarText(id), (text) => expected.test(text), timeout);
  }

  /** The codicon names a status bar item shows, e.g. ['sync', 'modifier-spin']. */
  async statusBarIcons(id: string): Promise<string[]> {
    const classes = await this.statusBarItem(id).locator('.codicon').evaluateAll((icons) => icons.map((icon) => icon.className));
    return classes.flatMap((names) => names.split(/\s+/)).filter((name) => name.startsWith('codicon-')).map((name) => name.slice('codicon-'.length));
  }

  /**
   * Reloads the window the way "Developer: Reload Window" does. Returns once the workbench is back and
   * its side bar shows again the view container it showed before.
   */
  async reloadWindow(): Promise<void> {
    const sideBar = this.page.locator('.part.sidebar .composite.title h2');
    const shownContainer = (await sideBar.isVisible()) ? (await sideBar.textContent())?.split(':')[0] : undefined;
    const reloaded = this.page.waitForEvent('load', { timeout: 60_000 });
    await this.inPalette('Developer: Reload Window', (found) => found.click({ timeout: ATTEMPT_MS }));
    await reloaded;
    await this.waitUntilReady();
    if (shownContainer) {
      await this.sideBarTitle(shownContainer).waitFor();
    }
  }

  /** Brings this window to the front, as clicking into it would: it gains the focus, the others lose it. */
  async focusWindow(): Promise<void> {
    await this.page.bringToFront();
    await this.page.waitForFunction('document.hasFocus()');
  }

  /** Closes the window (its browser tab), as closing VS Code would. */
  async closeWindow(): Promise<void> {
    const closed = this.page.waitForEvent('close');
    await this.page.close({ runBeforeUnload: true }); // VS Code shuts down as for a closed window
    await closed;
  }

  /**
   * Waits until the browser has saved an extension's global state as `done` wants it. VS Code in a
   * browser keeps global state in IndexedDB and writes a change there a moment after it is made: a
   * window closed sooner loses it, as a browser tab closed that quickly would.
   */
  async waitForSavedGlobalState(extensionId: string, done: (state: Record<string, unknown>) => boolean): Promise<void> {
    const read = `new Promise((resolve, reject) => {
      const opening = indexedDB.open(${JSON.stringify(GLOBAL_STATE_DATABASE)});
      opening.onerror = () => reject(opening.error);
      opening.onsuccess = () => {
        const reading = opening.result.transaction('ItemTable', 'readonly').objectStore('ItemTable').get(${JSON.stringify(extensionId)});
        reading.onerror = () => reject(reading.error);
        reading.onsuccess = () => {
          opening.result.close();
          resolve(reading.result ?? '{}');
        };
      };
    })`;
    const saved = async () => JSON.parse(await this.page.evaluate<string>(read)) as Record<string, unknown>;
    await this.waitUntil(`the saved global state of ${extensionId}`, saved, done);
  }

  /** Saves a PNG of the whole window to media/screenshots/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Reads `read()` until `done` accepts what it returns; fails with the last value read after `timeout`. */
  private async waitUntil<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeout = UI_TIMEOUT_MS): Promise<T> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = await read();
      if (done(value)) {
        return value;
      }
      if (Date.now() > deadline) {
        throw new Error(`waited ${timeout / 1000} s in vain for ${what}; it shows ${JSON.stringify(value, null, 2)}`);
      }
      await this.page.waitForTimeout(POLL_MS);
    }
  }
}

/** A pattern matching exactly `text` (surrounding blanks allowed, e.g. after a codicon). */
function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
