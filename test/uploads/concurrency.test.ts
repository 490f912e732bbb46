import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db";
import type { ApiError } from "../../src/platform/errors";
import { patchUpload, type Uploader } from "../../src/uploads/service";
import { registerStudio } from "../factories";
import { createUpload, equalBytes, MiB, pattern, storedBytes, uploadRow } from "./helpers";

// The test entry serializes requests, so two PATCHes in flight at once are run a level below
// HTTP: the same service call the route makes, with bodies the test holds open.

function studioUploader(studioId: string): Uploader {
  return { space: { owner: { kind: "studio", id: studioId }, keyPrefix: `gallery/${studioId}/`, limitBytes: async () => 10 * 1024 * MiB }, creator: "owner" };
}

/** A body that sends `first`, then waits for `open()` before sending `rest`. */
function heldBody(first: Uint8Array, rest: Uint8Array) {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const body = new ReadableStream<Uint8Array>({
    async start(ctrl) {
      ctrl.enqueue(first);
      await gate;
      ctrl.enqueue(rest);
      ctrl.close();
    },
  });
  return { body, open };
}

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition never met");
}

const statusOf = (e: unknown) => (e as ApiError).status;

describe("tus PATCHes on one upload at the same time", () => {
  it("a second PATCH while the first streams gets 423 and writes nothing; the first finishes intact", async () => {
    const s = await registerStudio();
    const db = getDb(env.DB);
    const u = studioUploader(s.studioId);
    const data = pattern(7 * MiB, 11);
    const up = await createUpload(s.key, data.byteLength);
    const held = heldBody(data.subarray(0, 6 * MiB), data.subarray(6 * MiB));
    const first = patchUpload(db, env.FILES, u, up.id, { offset: 0, body: held.body }, Date.now);
    await until(async () => (await uploadRow(up.id))!.lease_id !== null);
    const intruder = pattern(7 * MiB, 99);
    const second = await patchUpload(db, env.FILES, u, up.id, { offset: 0, body: new Blob([intruder]).stream() }, Date.now).catch((e) => e);
    expect([409, 423]).toContain(statusOf(second));
    held.open();
    const done = await first;
    expect(done.offset).toBe(data.byteLength);
    expect(equalBytes(await storedBytes(done.storageKey), data)).toBe(true);
    // After the first ended, a PATCH at the old offset is an offset conflict.
    const late = await patchUpload(db, env.FILES, u, up.id, { offset: 0, body: new Blob([intruder]).stream() }, Date.now).catch((e) => e);
    expect(statusOf(late)).toBe(409);
  });

  it("a writer whose lease lapsed and was taken over changes nothing: its parts are never referenced", async () => {
    const s = await registerStudio();
    const db = getDb(env.DB);
    const u = studioUploader(s.studioId);
    const stale = pattern(11 * MiB, 1);
    const fresh = pattern(11 * MiB, 2);
    const up = await createUpload(s.key, fresh.byteLength);
    const held = heldBody(stale.subarray(0, MiB), stale.subarray(MiB));
    const slow = patchUpload(db, env.FILES, u, up.id, { offset: 0, body: held.body }, Date.now).catch((e) => e);
    await until(async () => (await uploadRow(up.id))!.lease_id !== null);
    // The slow writer stalls past its lease (time moved instead of slept).
    await env.DB.prepare("UPDATE tus_uploads SET lease_until = 0 WHERE id = ?").bind(up.id).run();
    const winner = await patchUpload(db, env.FILES, u, up.id, { offset: 0, body: new Blob([fresh]).stream() }, Date.now);
    expect(winner.offset).toBe(fresh.byteLength);
    held.open();
    expect(statusOf(await slow)).toBe(423);
    const row = (await uploadRow(up.id))!;
    expect(row.offset).toBe(fresh.byteLength);
    expect(equalBytes(await storedBytes(row.storage_key), fresh)).toBe(true);
  });
});
