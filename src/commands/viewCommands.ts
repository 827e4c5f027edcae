import * as vscode from 'vscode';
import { SearchMatchType, searchMatchTypes } from '../api';
import { Services } from '../services';
import { quickPickText } from '../util/untrusted';

const MATCH_TYPES = [SearchMatchType.Contains, SearchMatchType.Equals, SearchMatchType.StartsWith, SearchMatchType.EndsWith, SearchMatchType.NotContains];

export function registerViewCommands(services: Services): vscode.Disposable[] {
  const { tree, servers } = services;
  return [
    vscode.commands.registerCommand('pyramid.refresh', () => servers.configured()?.schedules.invalidate()),
    vscode.commands.registerCommand('pyramid.showMore', (groupKey: string) => tree.showMore(groupKey)),
    vscode.commands.registerCommand('pyramid.clearFilter', () => servers.configured()?.schedules.setFilter(undefined)),
    vscode.commands.registerCommand('pyramid.filter', async () => {
      const store = servers.configured()?.schedules;
      if (!store) {
        return;
      }
      const text = await vscode.window.showInputBox({
        title: 'Filter Schedules (1/2)',
        prompt: 'Text to match against schedule names; the server does the matching. Leave empty to clear the filter.',
        value: store.filter?.text ?? '',
      });
      if (text === undefined) {
        return;
      }
      if (text.trim() === '') {
        await store.setFilter(undefined);
        return;
      }
      const picked = await vscode.window.showQuickPick(
        MATCH_TYPES.map((matchType) => ({ label: quickPickText(`Name ${searchMatchTypes.label(matchType).toLowerCase()} "${text.trim()}"`), matchType })),
        { title: 'Filter Schedules (2/2)', placeHolder: 'How should names match?' },
      );
      if (picked) {
        await store.setFilter({ text: text.trim(), matchType: picked.matchType });
      }
    }),
  ];
}
