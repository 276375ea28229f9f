// Offsets to zero-based line and column (UTF-16 code units, as VS Code counts them) and back.

export interface LineColumn {
  /** Zero-based. */
  readonly line: number;
  /** Zero-based, in UTF-16 code units. */
  readonly character: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): LineColumn {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid]) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.starts[lo]) };
  }

  offsetAt(position: LineColumn): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    const next = this.starts[position.line + 1];
    const lineEnd = next === undefined ? this.text.length : next - 1;
    return Math.min(start + Math.max(0, position.character), lineEnd);
  }
}
