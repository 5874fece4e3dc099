/**
 * Be the scheduler (lock policy "manual"): the bar that says who holds the print lock and who
 * waits, with a Grant button per waiting process, and the "waiting" mark on their lane labels.
 */
import { el } from '../shared/dom';
import { liveLockView, type Page } from './state';
import { STRINGS as T } from './strings';

/** The scheduler bar: shown for the live run in the main slot when its lock policy is "manual". */
export function updateScheduler(p: Page): void {
  const { s, dom } = p;
  const main = s.runs[0];
  const live = liveLockView(s);
  const lv = live?.manual ? live : undefined;
  const hadFocus = dom.scheduler.contains(document.activeElement);
  const focusedName = (document.activeElement as HTMLElement | null)?.dataset?.grant;
  dom.scheduler.hidden = !lv;
  markWaiting(p);
  if (!lv) { dom.schedButtons.replaceChildren(); dom.schedError.textContent = ''; return; }
  const free = lv.holder === null;
  const list = lv.waiting.join(', ');
  // Lock off: the host still decides whose piece of a line is written next (a turn to write).
  const what = main?.meta.config.useLock === false ? T.schedTurn : T.schedLock;
  dom.schedText.textContent = !free
    ? T.schedHeld(what, lv.holder ?? '', list)
    : lv.waiting.length
      ? T.schedFree(what, list)
      : T.schedNobody(what);
  const old = new Map(Array.from(dom.schedButtons.children as HTMLCollectionOf<HTMLButtonElement>).map((b) => [b.dataset.grant ?? '', b]));
  const buttons = (free ? lv.waiting : []).map((name) => {
    const existing = old.get(name);
    if (existing) { existing.dataset.run = lv.runId; return existing; }
    const b = el('button', 'grant-button');
    b.type = 'button';
    b.dataset.grant = name;
    b.dataset.run = lv.runId;
    b.setAttribute('aria-label', T.grantTitle(name));
    b.title = T.grantTitle(name);
    const icon = el('span', 'codicon codicon-unlock');
    icon.setAttribute('aria-hidden', 'true');
    b.append(icon, el('span', '', T.grant(name)));
    b.addEventListener('click', () => p.host.post({ type: 'grant', runId: b.dataset.run ?? '', name }));
    return b;
  });
  dom.schedButtons.replaceChildren(...buttons);
  dom.schedError.textContent = lv.error ?? '';
  // Keyboard users keep their place: the same process's button, else the first, else the bar.
  if (hadFocus) { (buttons.find((b) => b.dataset.grant === focusedName) ?? buttons[0] ?? dom.scheduler).focus(); }
}

/** Manual scheduling: the lanes of the processes waiting for the lock say so (beside their name). */
export function markWaiting({ s, dom }: Page): void {
  const main = s.runs[0];
  const waiting = new Set(liveLockView(s)?.waiting ?? []);
  for (const label of Array.from(dom.gutter.querySelectorAll<HTMLElement>('.gutter-lane'))) {
    const proc = Number(label.dataset.proc);
    const name = label.dataset.slot === '0' && main ? main.nameOf(proc) : '';
    const waits = waiting.has(name);
    label.classList.toggle('gutter-waiting', waits);
    label.title = waits ? T.waitingLane(label.textContent ?? '') : label.textContent ?? '';
  }
}

/** The Grant buttons a keyboard user can reach (G on the plot): the first, if the bar is shown. */
export function firstGrantButton({ dom }: Page): HTMLButtonElement | undefined {
  const first = dom.schedButtons.querySelector('button');
  return first && !dom.scheduler.hidden ? first : undefined;
}
