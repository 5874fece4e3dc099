/**
 * shoutHear.explainRun(runId?): the story of a run in sentences (see src/learn/explain.ts),
 * shown as a Markdown document beside the editor, and returned for the API. No id: the run the
 * Timeline shows, else the newest kept run; rejects when there is none.
 */
import * as vscode from 'vscode';
import { explainRun as narrate, ms, type Narration } from '../learn/explain';
import { findSource, learnRunOf, type KeptRuns } from './learnRuns';
import type { LearnDocuments } from './learnDocuments';

export async function explainRun(runs: KeptRuns, docs: LearnDocuments, runId: unknown): Promise<Narration> {
  const source = findSource(runs, runId, vscode.l10n.t('Explain This Run'));
  const narration = narrate(learnRunOf(source));
  await docs.showNarration(source.id, narrationMarkdown(narration, source.config), runId !== undefined);
  return narration;
}

export function narrationMarkdown(n: Narration, config: { engine?: string; messageCount: number; napProbability: number; useLock: boolean }): string {
  const head = [
    vscode.l10n.t('# What happened in run {0}', n.runId),
    '',
    `*${vscode.l10n.t('{0} · {1} messages · nap probability {2} · {3}', config.engine === 'python' ? vscode.l10n.t('The real Python program') : vscode.l10n.t('The Node engine'),
      config.messageCount, config.napProbability, config.useLock ? vscode.l10n.t('lock on') : vscode.l10n.t('lock off'))}${n.live ? vscode.l10n.t(' · still running: told up to {0}', ms(n.upToMs * 1e6)) : ''}*`,
    '',
    vscode.l10n.t('Times are milliseconds since the run started, as on the timeline.'),
    '',
  ];
  const body = n.sentences.map((s) => `- **${s.fromMs.toFixed(2)}–${s.toMs.toFixed(2)} ms** — ${s.text} *(${s.phenomena.join(', ')})*`);
  return [...head, ...body, ''].join('\n');
}
