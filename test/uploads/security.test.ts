import { describe, expect, it } from "vitest";
import { BASE, call, registerDrive, registerStudio } from "../factories";
import { assets, V1, v1, world } from "../galleries-v1/helpers";
import { createUpload, head, metadata, patch, pattern, tus, uploadAll, UPLOADS, usage } from "./helpers";

describe("tus server: who may upload and see uploads", () => {
  it("refuses no key (401), another product's key (403), and members without write anywhere (403)", async () => {
    const w = await world();
    expect((await call(UPLOADS, { method: "POST", headers: { "Tus-Resumable": "1.0.0", "Upload-Length": "5" } })).status).toBe(401);
    const d = await registerDrive();
    expect((await tus("POST", UPLOADS, d.key, { "Upload-Length": "5" })).status).toBe(403);
    for (const m of [w.reader, w.none]) {
      const res = await tus("POST", UPLOADS, m.key, { "Upload-Length": "5" });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toBe("write_access_required");
    }
    expect((await tus("POST", UPLOADS, w.writer.key, { "Upload-Length": "5" })).status).toBe(201);
    expect((await tus("POST", UPLOADS, w.manager.key, { "Upload-Length": "5" })).status).toBe(201);
  });

  it("an upload belongs to its creator: another studio, another member and even the owner get 404", async () => {
    const w = await world();
    const mine = await createUpload(w.writer.key, 100);
    for (const other of [w.b.key, w.bMember.key, w.manager.key, w.a.key]) {
      expect((await head(other, mine.path)).status).toBe(404);
      expect((await patch(other, mine.path, 0, pattern(100))).status).toBe(404);
      expect((await tus("DELETE", mine.path, other)).status).toBe(404);
    }
    const h = await head(w.writer.key, mine.path);
    expect(h.status).toBe(200);
    expect(h.headers.get("upload-offset")).toBe("0");
    const owners = await createUpload(w.a.key, 10);
    expect((await head(w.writer.key, owners.path)).status).toBe(404);
    expect((await head(w.b.key, owners.path)).status).toBe(404);
  });

  it("counts uploads against the studio of the key", async () => {
    const w = await world();
    const before = (await usage(w.a.studioId))!.reserved;
    await createUpload(w.writer.key, 1234);
    expect((await usage(w.a.studioId))!.reserved).toBe(before + 1234);
    expect((await usage(w.b.studioId))!.reserved).toBe(0);
  });

  it("the owner's dashboard session may upload from our own origin only", async () => {
    const s = await registerStudio();
    const ok = await call(UPLOADS, { method: "POST", headers: { "Tus-Resumable": "1.0.0", "Upload-Length": "5", cookie: s.cookie, origin: BASE } });
    expect(ok.status).toBe(201);
    const path = new URL(ok.headers.get("location")!).pathname;
    // The same upload is the studio's: its key sees it too.
    expect((await head(s.key, path)).status).toBe(200);
    const foreign = await call(UPLOADS, { method: "POST", headers: { "Tus-Resumable": "1.0.0", "Upload-Length": "5", cookie: s.cookie, origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
  });

  it("answers CORS preflights and exposes the tus headers to browser clients", async () => {
    const pre = await call(UPLOADS, { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "POST", "access-control-request-headers": "tus-resumable,upload-length,upload-metadata,x-api-key" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toContain("PATCH");
    const allowed = pre.headers.get("access-control-allow-headers")!.toLowerCase();
    for (const h of ["tus-resumable", "upload-length", "upload-offset", "upload-metadata", "upload-checksum", "x-api-key"]) expect(allowed).toContain(h);
    const s = await registerStudio();
    const res = await tus("POST", UPLOADS, s.key, { origin: "https://app.example", "Upload-Length": "3" });
    expect(res.status).toBe(201);
    const exposed = res.headers.get("access-control-expose-headers")!.toLowerCase();
    for (const h of ["location", "upload-offset", "upload-length", "tus-resumable", "upload-expires"]) expect(exposed).toContain(h);
  });
});

describe("inject_uploads: rights and readiness", () => {
  it("409 listing unknown, foreign and unfinished uploads, and nothing injected", async () => {
    const w = await world();
    const done = await createUpload(w.writer.key, 10, { filename: "ok.jpg", filetype: "image/jpeg" });
    await patch(w.writer.key, done.path, 0, pattern(10));
    const half = await createUpload(w.writer.key, 10);
    await patch(w.writer.key, half.path, 0, pattern(4));
    const foreign = await createUpload(w.manager.key, 3);
    await patch(w.manager.key, foreign.path, 0, pattern(3));
    const ids = async () => (await assets(w.a, w.g.id)).map((a) => a.id).sort();
    const before = await ids();
    const usageBefore = await usage(w.a.studioId);
    const res = await v1("POST", `${V1}/${w.g.id}/inject_uploads`, w.writer, { uids: [done.id, half.id, foreign.id, "tus_nope"], prefix: "in" });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: string; detail: { unknown: string[]; unfinished: string[] } };
    expect(body.error).toBe("uploads_not_ready");
    expect(body.detail.unknown.sort()).toEqual([foreign.id, "tus_nope"].sort());
    expect(body.detail.unfinished).toEqual([half.id]);
    expect(await ids()).toEqual(before);
    expect(await usage(w.a.studioId)).toEqual(usageBefore);
    // The finished one alone goes in.
    const good = await v1("POST", `${V1}/${w.g.id}/inject_uploads`, w.writer, { uids: [done.id], prefix: "in" });
    expect(good.status).toBe(200);
  });

  it("needs write on the gallery: read-only 403, unreadable or another studio's 404", async () => {
    const w = await world();
    const up = await createUpload(w.writer.key, 5);
    await patch(w.writer.key, up.path, 0, pattern(5));
    const rUp = await createUpload(w.manager.key, 5);
    await patch(w.manager.key, rUp.path, 0, pattern(5));
    expect((await v1("POST", `${V1}/${w.g2.id}/inject_uploads`, w.writer, { uids: [up.id], prefix: "" })).status).toBe(404);
    expect((await v1("POST", `${V1}/${w.gb.id}/inject_uploads`, w.writer, { uids: [up.id], prefix: "" })).status).toBe(404);
    expect((await v1("POST", `${V1}/${w.g.id}/inject_uploads`, w.reader, { uids: [up.id], prefix: "" })).status).toBe(403);
    expect((await v1("POST", `${V1}/${w.g.id}/inject_uploads`, w.b, { uids: [up.id], prefix: "" })).status).toBe(404);
    // Studio B's own gallery: the upload is not theirs.
    const other = await v1("POST", `${V1}/${w.gb.id}/inject_uploads`, w.b, { uids: [up.id], prefix: "" });
    expect(other.status).toBe(409);
  });

  it("takes the filename from the metadata and keeps names unique in the folder", async () => {
    const w = await world();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const up = await createUpload(w.a.key, 4, { filename: "one.jpg", filetype: "image/jpeg" });
      await uploadAll(w.a.key, up.path, pattern(4, i), 4);
      ids.push(up.id);
    }
    const res = await v1("POST", `${V1}/${w.g.id}/inject_uploads`, w.a, { uids: ids, prefix: "" });
    expect(res.status).toBe(200);
    const names = ((await res.json()) as { assets: { name: string }[] }).assets.map((a) => a.name);
    // one.jpg already exists at the root of g (world()).
    expect(names).toEqual(["one (2).jpg", "one (3).jpg"]);
  });

  it("refuses a prefix that is not a folder path", async () => {
    const s = await registerStudio();
    const g = await import("../galleries-v1/helpers").then((m) => m.createGallery(s));
    const up = await createUpload(s.key, 1);
    await patch(s.key, up.path, 0, pattern(1));
    for (const prefix of ["a/../b", "x\u0000y"]) {
      expect((await v1("POST", `${V1}/${g.id}/inject_uploads`, s, { uids: [up.id], prefix })).status).toBe(400);
    }
    expect((await v1("POST", `${V1}/${g.id}/inject_uploads`, s, { uids: [], prefix: "" })).status).toBe(400);
    expect(metadata({ a: "b" })).toBe("a Yg==");
  });
});
