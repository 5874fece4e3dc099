/** The legend: a swatch and words per thing the plot draws. */
import { el } from '../shared/dom';
import { STRINGS } from './strings';

type Item = readonly [string, string];

const W = STRINGS.legendItems;
const ITEMS: readonly Item[] = [
  ['lockwait', W.lockwait],
  ['print', W.print],
  ['nap', W.nap],
  ['getwait', W.getwait],
  ['putblocked', W.putblocked],
  ['put', W.put],
  ['get', W.get],
  ['arrow', W.arrow],
  ['depth', W.depth],
  ['holder', W.holder],
];

/** Shown when a run has its lock off. */
const LOCK_OFF: Item = ['overlap', W.overlap];

export function describeLegend(container: HTMLElement, opts: { lockOff?: boolean } = {}): void {
  const items = opts.lockOff ? [...ITEMS.map(([k, w]): Item => (k === 'print' ? ['print', W.printLockOff] : [k, w])), LOCK_OFF] : ITEMS;
  container.replaceChildren(...items.map(([key, words]) => {
    const item = el('span', 'legend-item');
    const sw = el('span', `swatch swatch-${key}`);
    sw.setAttribute('aria-hidden', 'true');
    item.append(sw, el('span', '', words));
    return item;
  }));
}
