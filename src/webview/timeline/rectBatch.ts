/** Rectangles batched by colour: one fillStyle and one fill() per colour per frame. */
export class RectBatch {
  private readonly byColor = new Map<string, number[]>();
  add(color: string, x: number, y: number, w: number, h: number): void {
    let a = this.byColor.get(color);
    if (!a) { a = []; this.byColor.set(color, a); }
    a.push(x, y, w, h);
  }
  flush(ctx: CanvasRenderingContext2D, alpha = 1): void {
    ctx.globalAlpha = alpha;
    for (const [color, a] of this.byColor) {
      ctx.fillStyle = color;
      ctx.beginPath();
      for (let i = 0; i < a.length; i += 4) { ctx.rect(a[i], a[i + 1], a[i + 2], a[i + 3]); }
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    this.byColor.clear();
  }
}
