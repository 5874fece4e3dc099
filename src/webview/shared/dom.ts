/** Small DOM helpers: every string goes in as text, never as markup. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) { e.className = className; }
  if (text !== undefined) { e.textContent = text; }
  return e;
}

/** A button with a codicon and an accessible name (and tooltip). */
export function iconButton(icon: string, label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', 'icon-button');
  b.type = 'button';
  b.title = label;
  b.setAttribute('aria-label', label);
  const i = el('span', `codicon codicon-${icon}`);
  i.setAttribute('aria-hidden', 'true');
  b.append(i);
  b.addEventListener('click', onClick);
  return b;
}

export function setOptions(select: HTMLSelectElement, options: readonly { value: string; label: string }[], value: string): void {
  select.replaceChildren(...options.map((o) => {
    const opt = el('option', '', o.label);
    opt.value = o.value;
    return opt;
  }));
  select.value = options.some((o) => o.value === value) ? value : (options[0]?.value ?? '');
}
