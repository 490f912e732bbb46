import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../factories";
import { readZip, sharedGallery, visitor } from "./helpers";

/** The object key a signed media URL opens (the token's `k` claim). */
const keyOf = (url: string) => JSON.parse(atob(new URL(url.replace(/&amp;/g, "&")).searchParams.get("t")!.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).k as string;

async function withWebSize(downloads: "web" | "original") {
  const g = await sharedGallery({ downloads }, 2);
  const f = g.files[0]!;
  const [thumb, web] = [`${f.storageKey}~thumb.jpg`, `${f.storageKey}~web.jpg`];
  await env.FILES.put(thumb, new TextEncoder().encode("thumb bytes"));
  await env.FILES.put(web, new TextEncoder().encode("web size bytes"));
  await env.DB.prepare("UPDATE files SET thumb_key = ?, web_key = ? WHERE id = ?").bind(thumb, web, f.id).run();
  return { ...g, thumb, web };
}

describe("variants on the public page and in downloads", () => {
  it("the grid shows thumbnails and the viewer the web size where they exist, the original otherwise", async () => {
    const { path, files, thumb, web } = await withWebSize("original");
    const html = await (await call(path)).text();
    const srcs = [...html.matchAll(/<img src="([^"]+)" alt="[^"]*" loading="lazy"/g)].map((m) => keyOf(m[1]!));
    expect(srcs).toEqual([thumb, files[1]!.storageKey]);
    const data = JSON.parse(/id="gallery-data">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.items.map((i: { web: string }) => keyOf(i.web))).toEqual([web, files[1]!.storageKey]);
  });

  it("downloads set to web size serve the web size (as .jpg) where one exists, the original otherwise", async () => {
    const { path, files } = await withWebSize("web");
    const b = await visitor(path);
    const one = await b.fetch(`${path}/files/${files[0]!.id}/download`);
    expect(one.status).toBe(200);
    expect(one.headers.get("content-disposition")).toMatch(/^attachment; filename="IMG_1.jpg"/);
    expect(new TextDecoder().decode(await one.arrayBuffer())).toBe("web size bytes");
    const zip = readZip(new Uint8Array(await (await b.fetch(`${path}/download?list=all`)).arrayBuffer()));
    expect(zip.map((e) => [e.name, e.data.byteLength])).toEqual([
      ["IMG_1.jpg", "web size bytes".length],
      ["IMG_2.jpg", 501],
    ]);
  });

  it("documents the owner routes in the OpenAPI reference", async () => {
    const doc = (await (await call("/api/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/api/collections/{id}/share"]!).sort()).toEqual(["get", "post"]);
    expect(doc.paths["/api/collections/{id}/favorites"]!.get).toBeDefined();
    expect(doc.paths["/api/collections/{id}/activity"]!.get).toBeDefined();
  });
});
