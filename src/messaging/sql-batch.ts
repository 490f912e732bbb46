import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Db } from "../db";

const dialect = new SQLiteAsyncDialect();

/**
 * Runs raw statements as one D1 batch (one transaction, in order) and returns each result's
 * `changes`. drizzle's `db.batch` takes query builders only; the conditional INSERT … SELECT
 * and `changes()` guards here are plain SQL.
 */
export async function runBatch(db: Db, statements: SQL[]): Promise<number[]> {
  return (await runBatchResults(db, statements)).map((r) => r.meta.changes);
}

/** runBatch with each statement's full result (rows of SELECTs and RETURNING clauses). */
export function runBatchResults(db: Db, statements: SQL[]): Promise<D1Result<Record<string, unknown>>[]> {
  const d1 = db.$client;
  return d1.batch(
    statements.map((s) => {
      const q = dialect.sqlToQuery(s);
      return d1.prepare(q.sql).bind(...q.params);
    }),
  );
}
