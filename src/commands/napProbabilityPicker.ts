/**
 * The quick pick of "Rerun with Nap Probability…": the usual values, or any number typed in
 * the box (read as the sweep reads it, checked to be within 0..1). Each item has a button to
 * also save it as the default.
 */
import * as vscode from 'vscode';
import { parseNapProbability, probabilityNumber } from '../stats/sweep';

const PRESETS = [0, 0.25, 0.5, 0.75, 1];
const SAVE_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('save'), tooltip: 'Run and save as default (shoutHear.napProbability)' };

interface Item extends vscode.QuickPickItem { value?: number }

function describe(p: number): string {
  if (p === 0) { return 'never nap'; }
  if (p === 1) { return 'nap after every message'; }
  return `about one message in ${Math.round(1 / p * 10) / 10}`;
}

export function pickNapProbability(current: number): Promise<{ value: number; saveAsDefault: boolean } | undefined> {
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Rerun with Nap Probability';
  pick.placeholder = `Pick a nap probability or type one from 0 to 1 (now ${current})`;
  const presetItems: Item[] = PRESETS.map((p) => ({
    label: String(p), description: describe(p) + (p === current ? ' (current)' : ''), value: p, buttons: [SAVE_BUTTON],
  }));
  pick.items = presetItems;
  pick.onDidChangeValue((text) => {
    if (text.trim() === '' || PRESETS.includes(probabilityNumber(text) ?? NaN)) { pick.items = presetItems; return; }
    const parsed = parseNapProbability(text);
    pick.items = typeof parsed === 'number'
      ? [{ label: String(parsed), description: describe(parsed), value: parsed, buttons: [SAVE_BUTTON], alwaysShow: true }, ...presetItems]
      : [{ label: `$(error) ${parsed}`, alwaysShow: true }, ...presetItems];
  });
  return new Promise((resolve) => {
    let result: { value: number; saveAsDefault: boolean } | undefined;
    const choose = (item: Item | undefined, saveAsDefault: boolean) => {
      if (item?.value === undefined) { return; }
      result = { value: item.value, saveAsDefault };
      pick.hide();
    };
    pick.onDidAccept(() => choose(pick.selectedItems[0], false));
    pick.onDidTriggerItemButton((e) => choose(e.item, true));
    pick.onDidHide(() => { pick.dispose(); resolve(result); });
    pick.show();
  });
}
