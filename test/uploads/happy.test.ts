import { describe, expect, it } from "vitest";
import { call, registerStudio } from "../factories";
import { assets, createGallery, V1, v1 } from "../galleries-v1/helpers";
import { createUpload, equalBytes, head, MiB, OCTET, patch, pattern, sha1b64, storedBytes, tus, uploadAll, uploadRow, UPLOADS, usage } from "./helpers";

describe("tus server: happy paths", () => {
  it("answers OPTIONS with the server's capabilities and no Tus-Resumable", async () => {
    const res = await tus("OPTIONS", UPLOADS, null);
    expect(res.status).toBe(204);
    expect(res.headers.get("tus-version")).toBe("1.0.0");
    expect(res.headers.get("tus-extension")!.split(",")).toEqual(
      expect.arrayContaining(["creation", "creation-with-upload", "creation-defer-length", "termination", "expiration", "checksum"]),
    );
    expect(Number(res.headers.get("tus-max-size"))).toBeGreaterThan(0);
    expect(res.headers.get("tus-checksum-algorithm")).toContain("sha1");
    expect(res.headers.get("tus-resumable")).toBeNull();
  });

  it("creates, reports the offset, takes chunks of any size and reassembles the exact bytes", async () => {
    const s = await registerStudio();
    const data = pattern(12 * MiB + 12345);
    const up = await createUpload(s.key, data.byteLength);
    expect(up.res.headers.get("tus-resumable")).toBe("1.0.0");
    expect(up.res.headers.get("upload-offset")).toBe("0");
    expect(up.res.headers.get("upload-expires")).toMatch(/GMT$/);
    let h = await head(s.key, up.path);
    expect(h.status).toBe(200);
    expect(h.headers.get("upload-offset")).toBe("0");
    expect(h.headers.get("upload-length")).toBe(String(data.byteLength));
    expect(h.headers.get("cache-control")).toBe("no-store");
    expect(h.headers.get("upload-metadata")).toContain("filename ");
    // 3 MiB + 1 chunks: never a multiple of the 5 MiB part size.
    const last = await uploadAll(s.key, up.path, data, 3 * MiB + 1);
    expect(last.status).toBe(204);
    expect(last.headers.get("upload-offset")).toBe(String(data.byteLength));
    h = await head(s.key, up.path);
    expect(h.headers.get("upload-offset")).toBe(String(data.byteLength));
    const row = await uploadRow(up.id);
    expect(row!.completed_at).not.toBeNull();
    expect(equalBytes(await storedBytes(row!.storage_key), data)).toBe(true);
  });

  it("keeps a remainder below one part in R2 between PATCHes (small chunks)", async () => {
    const s = await registerStudio();
    const data = pattern(300_000, 7);
    const up = await createUpload(s.key, data.byteLength);
    await patch(s.key, up.path, 0, data.subarray(0, 100_000));
    const row = await uploadRow(up.id);
    expect(row!.offset).toBe(100_000);
    expect(row!.tail_size).toBe(100_000);
    const res = await patch(s.key, up.path, 100_000, data.subarray(100_000));
    expect(res.status).toBe(204);
    expect(equalBytes(await storedBytes(row!.storage_key), data)).toBe(true);
  });

  it("a first chunk of 5..64 MiB sets the part size, so steady chunks need no tail, and other sizes still work after", async () => {
    const s = await registerStudio();
    const data = pattern(6 * MiB * 2 + 2 * MiB + 5, 5);
    const up = await createUpload(s.key, data.byteLength);
    await patch(s.key, up.path, 0, data.subarray(0, 6 * MiB));
    let row = await uploadRow(up.id);
    expect(row).toMatchObject({ part_size: 6 * MiB, offset: 6 * MiB, tail_size: 0 });
    await patch(s.key, up.path, 6 * MiB, data.subarray(6 * MiB, 12 * MiB));
    expect(await uploadRow(up.id)).toMatchObject({ offset: 12 * MiB, tail_size: 0 });
    // A client that changes its chunk size: 1 MiB then the rest.
    await patch(s.key, up.path, 12 * MiB, data.subarray(12 * MiB, 13 * MiB));
    expect(await uploadRow(up.id)).toMatchObject({ offset: 13 * MiB, tail_size: MiB });
    const res = await patch(s.key, up.path, 13 * MiB, data.subarray(13 * MiB));
    expect(res.headers.get("upload-offset")).toBe(String(data.byteLength));
    row = await uploadRow(up.id);
    expect(JSON.parse(row!.parts)).toHaveLength(3);
    expect(equalBytes(await storedBytes(row!.storage_key), data)).toBe(true);
  });

  it("creation-with-upload takes the first chunk in the POST", async () => {
    const s = await registerStudio();
    const data = pattern(1000);
    const res = await tus("POST", UPLOADS, s.key, { "Upload-Length": "1000", "content-type": OCTET }, data.subarray(0, 400));
    expect(res.status).toBe(201);
    expect(res.headers.get("upload-offset")).toBe("400");
    const path = new URL(res.headers.get("location")!).pathname;
    const done = await patch(s.key, path, 400, data.subarray(400));
    expect(done.headers.get("upload-offset")).toBe("1000");
  });

  it("creation-defer-length: the length arrives with a later PATCH and is reserved then", async () => {
    const s = await registerStudio();
    const data = pattern(6 * MiB);
    const up = await createUpload(s.key, null);
    const h = await head(s.key, up.path);
    expect(h.headers.get("upload-defer-length")).toBe("1");
    expect(h.headers.get("upload-length")).toBeNull();
    expect((await patch(s.key, up.path, 0, data.subarray(0, MiB))).status).toBe(204);
    expect((await usage(s.studioId))!.reserved).toBe(0);
    const res = await patch(s.key, up.path, MiB, data.subarray(MiB), { "Upload-Length": String(data.byteLength) });
    expect(res.status).toBe(204);
    expect(res.headers.get("upload-length")).toBe(String(data.byteLength));
    expect((await usage(s.studioId))!.reserved).toBe(data.byteLength);
    expect(equalBytes(await storedBytes((await uploadRow(up.id))!.storage_key), data)).toBe(true);
  });

  it("accepts a chunk whose sha1 checksum matches", async () => {
    const s = await registerStudio();
    const data = pattern(5000);
    const up = await createUpload(s.key, 5000);
    const res = await patch(s.key, up.path, 0, data, { "Upload-Checksum": `sha1 ${await sha1b64(data)}` });
    expect(res.status).toBe(204);
    expect(res.headers.get("upload-offset")).toBe("5000");
  });

  it("terminates an upload: 204, then 404, and the reservation is released", async () => {
    const s = await registerStudio();
    const up = await createUpload(s.key, 2 * MiB);
    expect((await usage(s.studioId))!.reserved).toBe(2 * MiB);
    await patch(s.key, up.path, 0, pattern(1000));
    const del = await tus("DELETE", up.path, s.key);
    expect(del.status).toBe(204);
    expect(del.headers.get("tus-resumable")).toBe("1.0.0");
    expect((await head(s.key, up.path)).status).toBe(404);
    expect((await usage(s.studioId))!.reserved).toBe(0);
  });

  it("injects a finished upload into a gallery folder, served by the assets list", async () => {
    const s = await registerStudio();
    const g = await createGallery(s);
    const data = pattern(7 * MiB + 3);
    const up = await createUpload(s.key, data.byteLength, { filename: "Lake.jpg", filetype: "image/jpeg" });
    await uploadAll(s.key, up.path, data, 7 * MiB);
    const res = await v1("POST", `${V1}/${g.id}/inject_uploads`, s, { uids: [up.id], prefix: "raw/day one" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { assets: { id: string; name: string; dirname: string; size: number }[] };
    expect(body.assets).toHaveLength(1);
    expect(body.assets[0]).toMatchObject({ name: "Lake.jpg", dirname: "raw/day one", size: data.byteLength });
    const list = await assets(s, g.id);
    const asset = list.find((a) => a.id === body.assets[0]!.id)!;
    expect(asset).toBeDefined();
    const u = await usage(s.studioId);
    expect(u).toEqual({ used: data.byteLength, reserved: 0 });
    // Again: the same asset, nothing duplicated.
    const again = await v1("POST", `${V1}/${g.id}/inject_uploads`, s, { uids: [up.id], prefix: "raw/day one" });
    expect(((await again.json()) as { assets: { id: string }[] }).assets[0]!.id).toBe(asset.id);
    expect((await assets(s, g.id)).filter((a) => a.name === "Lake.jpg")).toHaveLength(1);
    expect((await usage(s.studioId))!.used).toBe(data.byteLength);
  });
});

describe("tus server: reference", () => {
  it("lists the tus routes and inject_uploads in the OpenAPI document", async () => {
    const doc = (await (await call("/api/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/api/v1/uploads"] ?? {})).toEqual(expect.arrayContaining(["options", "post"]));
    expect(Object.keys(doc.paths["/api/v1/uploads/{uid}"] ?? {})).toEqual(expect.arrayContaining(["head", "patch", "delete"]));
    expect(doc.paths["/api/v1/galleries/{id}/inject_uploads"]?.post).toBeDefined();
  });
});
