/**
 * The quick pick of "Rerun with Nap Probability…": the usual values, or any number typed in
 * the box (read as the sweep reads it, checked to be within 0..1). Each item has a button to
 * also save it as the default.
 */
import * as vscode from 'vscode';
import { parseNapProbability, probabilityNumber } from '../stats/sweep';

const PRESETS = [0, 0.25, 0.5, 0.75, 1];

interface Item extends vscode.QuickPickItem { value?: number }

function describe(p: number): string {
  if (p === 0) { return vscode.l10n.t('never nap'); }
  if (p === 1) { return vscode.l10n.t('nap after every message'); }
  return vscode.l10n.t('about one message in {0}', Math.round(1 / p * 10) / 10);
}

export function pickNapProbability(current: number): Promise<{ value: number; saveAsDefault: boolean } | undefined> {
  const pick = vscode.window.createQuickPick<Item>();
  const SAVE_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('save'), tooltip: vscode.l10n.t('Run and save as default (shoutHear.napProbability)') };
  pick.title = vscode.l10n.t('Rerun with Nap Probability');
  pick.placeholder = vscode.l10n.t('Pick a nap probability or type one from 0 to 1 (now {0})', current);
  const presetItems: Item[] = PRESETS.map((p) => ({
    label: String(p), description: (p === current ? vscode.l10n.t('{0} (current)', describe(p)) : describe(p)), value: p, buttons: [SAVE_BUTTON],
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
