// Page object for the VS Code workbench as code-server serves it: what a user sees and clicks,
// so that journeys read as steps rather than selectors.
import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';
import { screenshotDir } from '../host/paths';

export interface StatusBarItem {
  /** e.g. 'pyramid-community.pyramid-schedules.connection' for an extension's item. */
  id: string;
  text: string;
  ariaLabel: string;
}

export class Workbench {
  constructor(readonly page: Page) {}

  async waitUntilReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor();
    await this.page.locator('.part.statusbar').waitFor();
  }

  /** Opens a view container (e.g. 'Pyramid') from its activity-bar entry, unless it is open already. */
  async openViewContainer(label: string): Promise<void> {
    const entry = this.page.locator(`.activitybar .action-label[aria-label^="${label}"]`);
    const selected = await entry.locator('xpath=..').getAttribute('aria-selected');
    if (selected !== 'true') {
      await entry.click();
      await this.page.locator('.part.editor').hover(); // so that no tooltip of the entry stays up
    }
    await this.page.locator('.part.sidebar .composite.title h2', { hasText: label }).waitFor();
    // The side bar shows a progress bar while the extension activates for its views.
    await this.page.locator('.part.sidebar .monaco-progress-container.active').waitFor({ state: 'hidden' });
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

  /** Runs a command from the F1 palette by its full title, e.g. 'Pyramid: Show Output'. */
  async runCommand(title: string): Promise<void> {
    const row = this.page.locator(`.quick-input-list .monaco-list-row[aria-label="${title}"]`);
    // Until the extension host has registered the extensions, the palette does not list their commands.
    const deadline = Date.now() + 30_000;
    for (;;) {
      await this.page.keyboard.press('F1');
      await this.page.locator('.quick-input-widget input').fill(`>${title}`);
      const listed = await row.waitFor({ timeout: 2_000 }).then(() => true, () => false);
      if (listed) {
        break;
      }
      await this.page.keyboard.press('Escape');
      if (Date.now() > deadline) {
        throw new Error(`the command palette does not list "${title}"`);
      }
    }
    await row.click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
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

  async statusBarItems(): Promise<StatusBarItem[]> {
    return this.page.locator('.part.statusbar .statusbar-item').evaluateAll((items) =>
      items.map((item) => ({
        id: item.id,
        text: (item as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ').trim(),
        ariaLabel: item.getAttribute('aria-label') ?? '',
      })),
    );
  }

  /** Saves a PNG of the whole window to media/screenshots/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
