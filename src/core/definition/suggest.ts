// "Did you mean ...?": the known name nearest to a misspelt one.

/** The candidate closest to `word` by edit distance (case differences cost little); undefined when none is close. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const c = candidate.toLowerCase();
    const score = c === lower ? 0.5 : editDistance(lower, c);
    if (score < bestScore || (score === bestScore && best !== undefined && candidate < best)) {
      best = candidate;
      bestScore = score;
    }
  }
  if (best === undefined) return undefined;
  // Allow about one edit per four characters, at least one and at most three.
  const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(word.length, best.length) / 4)));
  return bestScore <= allowed ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > 3) return Math.abs(a.length - b.length);
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) (d[0])[j] = j;
  for (let i = 1; i < rows; i++) {
    const row = d[i];
    const prev = d[i - 1];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j]) + 1, (row[j - 1]) + 1, (prev[j - 1]) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, ((d[i - 2])[j - 2]) + 1);
      row[j] = v;
    }
  }
  return (d[rows - 1])[cols - 1];
}
