// tus-js-client as it ships, in Node, against the dev server: several chunk sizes, and a
// client process killed mid-upload that resumes from its stored URL (issue 14's "done when").
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Upload } from "tus-js-client";
import { apiJson as v1, baseUrl, registerViaApi } from "./harness.mjs";

const MiB = 1024 * 1024;
const sha256 = (b) => createHash("sha256").update(b).digest("hex");

function bytes(size, seed) {
  const out = Buffer.alloc(Math.ceil(size / 4) * 4);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  return out.subarray(0, size);
}


function tusUpload(data, studio, options = {}) {
  return new Promise((resolve, reject) => {
    const upload = new Upload(data, {
      endpoint: `${baseUrl()}/api/v1/uploads`,
      headers: { "x-api-key": studio.key },
      metadata: { filename: options.filename ?? "data.bin", filetype: "application/octet-stream" },
      ...options,
      onSuccess: () => resolve(upload.url),
      onError: reject,
    });
    upload.start();
  });
}

async function headOffset(studio, url) {
  const res = await fetch(url, { method: "HEAD", headers: { "Tus-Resumable": "1.0.0", "x-api-key": studio.key } });
  assert.equal(res.status, 200);
  return { offset: Number(res.headers.get("upload-offset")), length: Number(res.headers.get("upload-length")) };
}

/** Injects the upload at `url` into `gallery` under `prefix` and downloads it back through the asset's media URL. */
async function injectAndDownload(studio, gallery, url, prefix) {
  const uid = url.split("/").pop();
  const injected = await v1(studio, "POST", `/api/v1/galleries/${gallery.id}/inject_uploads`, { uids: [uid], prefix });
  assert.equal(injected.assets.length, 1);
  const list = await v1(studio, "GET", `/api/v1/galleries/${gallery.id}/assets?limit=100`);
  const asset = list.assets.find((a) => a.id === injected.assets[0].id);
  assert.equal(asset.dirname, prefix);
  const media = await fetch(asset.url);
  assert.equal(media.status, 200);
  return Buffer.from(await media.arrayBuffer());
}

test("tus-js-client in Node uploads with chunk sizes below, across and above the server's part size", async () => {
  const studio = await registerViaApi("studio");
  const gallery = await v1(studio, "POST", "/api/v1/galleries", { gallery: { name: "Chunks", description: "" } });
  const data = bytes(11 * MiB + 4321, 7);
  for (const chunkSize of [1 * MiB + 3, 3 * MiB + 1, 7 * MiB, Infinity]) {
    const url = await tusUpload(data, studio, { chunkSize, filename: `c-${chunkSize}.bin` });
    assert.deepEqual(await headOffset(studio, url), { offset: data.length, length: data.length });
    const back = await injectAndDownload(studio, gallery, url, `chunks/${chunkSize}`);
    assert.equal(sha256(back), sha256(data), `chunkSize ${chunkSize}`);
  }
});

test("a 40 MiB upload in 7 MiB chunks, killed after the second chunk, resumes from its URL and finishes intact", async (t) => {
  const studio = await registerViaApi("studio");
  const gallery = await v1(studio, "POST", "/api/v1/galleries", { gallery: { name: "Resume", description: "" } });
  const data = bytes(40 * MiB, 42);
  const dir = mkdtempSync(join(tmpdir(), "tus-"));
  const file = join(dir, "forty.bin");
  writeFileSync(file, data);
  const client = fileURLToPath(new URL("./tus-kill-client.mjs", import.meta.url));
  const endpoint = `${baseUrl()}/api/v1/uploads`;

  const run = (args, stopAt) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [client, file, endpoint, studio.key, ...args], { stdio: ["ignore", "pipe", "inherit"] });
      const events = [];
      let buffered = "";
      child.stdout.on("data", (d) => {
        buffered += d;
        let nl;
        while ((nl = buffered.indexOf("\n")) >= 0) {
          const ev = JSON.parse(buffered.slice(0, nl));
          buffered = buffered.slice(nl + 1);
          events.push(ev);
          if (stopAt?.(ev)) child.kill("SIGKILL");
        }
      });
      child.on("exit", (code, signal) => resolve({ events, code, signal }));
      child.on("error", reject);
    });

  const first = await run([], (ev) => ev.chunk === 2);
  assert.equal(first.signal, "SIGKILL");
  const url = first.events.find((e) => e.url)?.url;
  assert.ok(url, "the upload URL was stored before the kill");
  const afterKill = await headOffset(studio, url);
  // At most the chunk in flight is lost: two 7 MiB chunks were confirmed.
  assert.ok(afterKill.offset >= 14 * MiB, `offset ${afterKill.offset} after the kill`);
  assert.ok(afterKill.offset < 40 * MiB);
  assert.equal(afterKill.length, 40 * MiB);

  const second = await run([url]);
  assert.equal(second.code, 0, JSON.stringify(second.events));
  assert.ok(second.events.some((e) => e.done));
  // Resumed where the server was, never from zero.
  const resumedAt = second.events.find((e) => "firstPatchOffset" in e).firstPatchOffset;
  t.diagnostic(`HEAD after the kill: ${afterKill.offset} bytes; the resumed client's first PATCH at ${resumedAt}`);
  assert.ok(resumedAt >= afterKill.offset, `resumed at ${resumedAt}, HEAD said ${afterKill.offset}`);
  assert.deepEqual(await headOffset(studio, url), { offset: 40 * MiB, length: 40 * MiB });

  const back = await injectAndDownload(studio, gallery, url, "masters/2026");
  assert.equal(back.length, data.length);
  assert.equal(sha256(back), sha256(data));
});
