/** D1 allows at most 100 bound parameters per statement; chunks of 90 leave room for the owner id. */
export const MAX_IDS_PER_STATEMENT = 90;

/** Runs `run` over `items` in chunks small enough for one D1 statement each, concatenating the rows. */
export async function inChunks<T, R>(items: readonly T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += MAX_IDS_PER_STATEMENT) out.push(...(await run(items.slice(i, i + MAX_IDS_PER_STATEMENT))));
  return out;
}

/** True when a D1 write failed on a UNIQUE constraint (drizzle wraps the D1 error in `cause`). */
export function isUniqueViolation(err: unknown): boolean {
  const text = String((err as { cause?: unknown })?.cause ?? "") + String((err as Error)?.message ?? "");
  return /UNIQUE constraint failed/i.test(text);
}
