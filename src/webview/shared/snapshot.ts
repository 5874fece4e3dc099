/**
 * "Save … Image" on the page side: draws the parts of the page given (stacked top to bottom, as
 * they are laid out) into one offscreen canvas at IMAGE_SCALE device pixels per CSS pixel —
 * their text where it is shown, in its font and colour, small coloured boxes (legend swatches),
 * and their canvases (a page may redraw a canvas for the picture, e.g. with a light palette) —
 * and answers the host with a base64 PNG. With a light background the text is drawn dark and
 * only small boxes keep their colour, so the picture reads on a slide whatever the theme.
 */
import { IMAGE_SCALE, type ImageBackground, type ImageReply } from '../../shared/pageImage';

export const LIGHT_BACKGROUND = '#ffffff';
const LIGHT_TEXT = '#1f1f1f';
/** Boxes up to this size (CSS px) are drawn with their colour on a light background (swatches, markers). */
const SMALL_BOX = 24;

export interface SnapshotSpec {
  /** The page's parts to draw, in order (hidden ones are skipped). */
  parts: HTMLElement[];
  /** A part's height to draw (CSS px) when less than its box (a plot taller than its tracks). */
  heightOf?: (part: HTMLElement) => number | undefined;
  background: ImageBackground;
  /** The theme's background (the picture's background with background 'theme'). */
  themeBackground: string;
  /** A canvas drawn for the picture instead of `canvas` (same CSS size, IMAGE_SCALE pixels per CSS px); undefined: copy it. */
  redraw?: (canvas: HTMLCanvasElement) => HTMLCanvasElement | undefined;
}

function isTransparent(color: string): boolean {
  return color === '' || color === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(color);
}

/** Draws a text node where it is laid out: one fillText per line box the browser made. */
function drawText(ctx: CanvasRenderingContext2D, node: Text, dx: number, dy: number, color: string): void {
  const text = node.data.replace(/\s+/g, ' ');
  if (text.trim() === '' || !node.parentElement) { return; }
  const style = getComputedStyle(node.parentElement);
  if (style.visibility === 'hidden' || Number(style.opacity) === 0) { return; }
  const range = document.createRange();
  range.selectNodeContents(node);
  const boxes = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
  if (boxes.length === 0) { return; }
  ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  ctx.fillStyle = color;
  ctx.textBaseline = 'middle';
  const words = text.trim().split(' ');
  let w = 0;
  boxes.forEach((box, i) => {
    // Fill this line box with the words that fit it (the last box takes the rest).
    let line = '';
    while (w < words.length) {
      const next = line ? `${line} ${words[w]}` : words[w];
      if (line && i < boxes.length - 1 && ctx.measureText(next).width > box.width + 2) { break; }
      line = next;
      w++;
    }
    ctx.fillText(line, box.left + dx, box.top + box.height / 2 + dy, box.width + 4);
  });
}

function drawPart(ctx: CanvasRenderingContext2D, part: HTMLElement, dx: number, dy: number, spec: SnapshotSpec): void {
  const light = spec.background === 'light';
  // Skipped with everything inside: what is not shown, and text kept for screen readers only.
  const walker = document.createTreeWalker(part, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => {
      if (!(n instanceof HTMLElement)) { return NodeFilter.FILTER_ACCEPT; }
      const st = getComputedStyle(n);
      const r = n.getBoundingClientRect();
      const srOnly = st.overflow === 'hidden' && (r.width <= 1 || r.height <= 1);
      return st.display === 'none' || srOnly || n instanceof HTMLOptionElement ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    },
  });
  for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
    if (node instanceof Text) {
      const parent = node.parentElement;
      if (parent && !(parent instanceof HTMLOptionElement) && !(parent instanceof HTMLSelectElement)) {
        drawText(ctx, node, dx, dy, light ? LIGHT_TEXT : getComputedStyle(parent).color);
      }
      continue;
    }
    const el = node as HTMLElement;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) { continue; }
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') { continue; }
    const small = rect.width <= SMALL_BOX && rect.height <= SMALL_BOX;
    if (!isTransparent(style.backgroundColor) && el !== part && (!light || small)) {
      ctx.globalAlpha = Number(style.opacity) || 1;
      ctx.fillStyle = style.backgroundColor;
      ctx.fillRect(rect.left + dx, rect.top + dy, rect.width, rect.height);
      ctx.globalAlpha = 1;
    }
    const border = parseFloat(style.borderTopWidth);
    if (border > 0 && !isTransparent(style.borderTopColor) && (!light || small || rect.height <= 1)) {
      // A line drawn as a top border (the legend's arrow swatch).
      ctx.globalAlpha = Number(style.opacity) || 1;
      ctx.fillStyle = light && rect.height <= 1 ? LIGHT_TEXT : style.borderTopColor;
      ctx.fillRect(rect.left + dx, rect.top + dy, rect.width, border);
      ctx.globalAlpha = 1;
    }
    if (el instanceof HTMLCanvasElement) {
      const drawn = spec.redraw?.(el) ?? el;
      if (light && drawn === el) {
        // A theme-coloured chart keeps its own background, so its theme-coloured text stays readable.
        ctx.fillStyle = spec.themeBackground;
        ctx.fillRect(rect.left + dx, rect.top + dy, rect.width, rect.height);
      }
      ctx.drawImage(drawn, rect.left + dx, rect.top + dy, rect.width, rect.height);
    } else if (el instanceof HTMLSelectElement) {
      const chosen = el.selectedOptions[0]?.textContent ?? '';
      ctx.font = `${style.fontSize} ${style.fontFamily}`;
      ctx.fillStyle = light ? LIGHT_TEXT : style.color;
      ctx.textBaseline = 'middle';
      ctx.fillText(chosen, rect.left + dx + 4, rect.top + rect.height / 2 + dy, rect.width - 8);
    }
  }
}

/** The parts drawn into one PNG at IMAGE_SCALE; the CSS width is the page's. */
export async function snapshot(spec: SnapshotSpec): Promise<{ png: string; cssWidth: number; cssHeight: number }> {
  const parts = spec.parts.filter((p) => p.getClientRects().length > 0 && p.getBoundingClientRect().height > 0);
  if (parts.length === 0) { throw new Error('there is nothing on the page to draw'); }
  const cssWidth = Math.max(1, Math.round(document.documentElement.clientWidth));
  const gap = 8;
  const heights = parts.map((p) => Math.ceil(Math.min(p.getBoundingClientRect().height, spec.heightOf?.(p) ?? Infinity)));
  const cssHeight = heights.reduce((a, h) => a + h + gap, gap);
  const canvas = document.createElement('canvas');
  canvas.width = cssWidth * IMAGE_SCALE;
  canvas.height = cssHeight * IMAGE_SCALE;
  const ctx = canvas.getContext('2d');
  if (!ctx) { throw new Error('the page cannot make a canvas to draw on'); }
  ctx.scale(IMAGE_SCALE, IMAGE_SCALE);
  ctx.fillStyle = spec.background === 'light' ? LIGHT_BACKGROUND : spec.themeBackground;
  ctx.fillRect(0, 0, cssWidth, cssHeight);
  let y = gap;
  parts.forEach((part, i) => {
    const r = part.getBoundingClientRect();
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, y, cssWidth, heights[i]);
    ctx.clip();
    drawPart(ctx, part, 0, y - r.top, spec);
    ctx.restore();
    y += heights[i] + gap;
  });
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) { throw new Error('the browser could not encode the picture as PNG'); }
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) { binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000)); }
  return { png: btoa(binary), cssWidth, cssHeight };
}

/** Answers a host's 'snapshot' request: the picture, or why there is none. */
export async function answerSnapshot(token: number, spec: SnapshotSpec, post: (m: ImageReply) => void): Promise<void> {
  try {
    post({ type: 'image', token, ...(await snapshot(spec)) });
  } catch (err) {
    post({ type: 'image', token, error: (err as Error).message.slice(0, 500) });
  }
}
