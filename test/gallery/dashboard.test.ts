import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, call, postJson, sessionHeaders } from "../factories";
import { createCategory, createCollection, fetchUrl, keyHeaders, registerStudio, studioRow, uploadFile, bytes, type Presigned } from "./helpers";

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = (s: { cookie: string }) => sessionHeaders(s, { "content-type": "application/x-www-form-urlencoded" });

describe("/dashboard/gallery", () => {
  it("sends a visitor without a session to the login page", async () => {
    const res = await call("/dashboard/gallery", { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?next=%2Fdashboard%2Fgallery");
  });

  it("renders collections, categories, the storage meter and a nonce-only script policy", async () => {
    const s = await registerStudio();
    const cat = await createCategory(s, "Weddings");
    const col = await createCollection(s, { name: "Smith wedding", categoryId: cat.id });
    await uploadFile(s, col.id, "kiss.jpg", bytes(123));
    const res = await call(`/dashboard/gallery?collection=${col.id}`, { headers: sessionHeaders(s) });
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(/script-src ([^;]*)/.exec(csp)![1]).not.toContain("unsafe-inline");
    const html = await res.text();
    expect(html).toContain("Smith wedding");
    expect(html).toContain("Weddings");
    expect(html).toContain('aria-valuenow="123"');
    expect(html).toContain('data-file-name="kiss.jpg"');
    expect(html).toMatch(/<img src="http:\/\/localhost\/api\/media\?t=[^"]+" alt="kiss.jpg" loading="lazy"/);
  });

  it("creates, edits and deletes collections and categories through its forms", async () => {
    const s = await registerStudio();
    let res = await call("/dashboard/gallery/categories", { method: "POST", headers: formHeaders(s), body: form({ name: "Events" }), redirect: "manual" });
    expect(res.status).toBe(303);
    const [cat] = (await (await call("/api/categories", { headers: keyHeaders(s) })).json()) as { id: string }[];
    res = await call("/dashboard/gallery/collections", {
      method: "POST",
      headers: formHeaders(s),
      body: form({ name: "Gala", clientName: "Acme", date: "2025-05-01", categoryId: cat!.id }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    const id = new URL(res.headers.get("location")!, BASE).searchParams.get("collection")!;
    expect(await (await call(`/api/collections/${id}`, { headers: keyHeaders(s) })).json()).toMatchObject({ name: "Gala", clientName: "Acme", date: "2025-05-01", categoryId: cat!.id });
    res = await call(`/dashboard/gallery/collections/${id}`, { method: "POST", headers: formHeaders(s), body: form({ name: "Gala 2025", clientName: "", date: "", categoryId: "" }), redirect: "manual" });
    expect(res.status).toBe(303);
    expect(await (await call(`/api/collections/${id}`, { headers: keyHeaders(s) })).json()).toMatchObject({ name: "Gala 2025", date: null, categoryId: null });
    res = await call(`/dashboard/gallery/categories/${cat!.id}/rename`, { method: "POST", headers: formHeaders(s), body: form({ name: "Parties" }), redirect: "manual" });
    expect(res.status).toBe(303);
    res = await call(`/dashboard/gallery/collections/${id}/delete`, { method: "POST", headers: formHeaders(s), redirect: "manual" });
    expect(res.status).toBe(303);
    expect((await call(`/api/collections/${id}`, { headers: keyHeaders(s) })).status).toBe(404);
  });

  it("shows a form error instead of writing on bad input", async () => {
    const s = await registerStudio();
    const res = await call("/dashboard/gallery/collections", { method: "POST", headers: formHeaders(s), body: form({ name: "", date: "nope" }) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('role="alert"');
    expect(await (await call("/api/collections", { headers: keyHeaders(s) })).json()).toEqual([]);
  });

  it("keeps another studio out: its collection is a 404 page and its ids are refused by every form", async () => {
    const a = await registerStudio();
    const b = await registerStudio();
    const cat = await createCategory(a, "A-only");
    const col = await createCollection(a, { name: "A private" });
    const file = await uploadFile(a, col.id, "a.jpg", bytes(5));
    const page = await call(`/dashboard/gallery?collection=${col.id}`, { headers: sessionHeaders(b) });
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain("A private");
    for (const path of [
      `/dashboard/gallery/collections/${col.id}`,
      `/dashboard/gallery/collections/${col.id}/delete`,
      `/dashboard/gallery/collections/${col.id}/files/${file.id}/delete`,
      `/dashboard/gallery/categories/${cat.id}/rename`,
      `/dashboard/gallery/categories/${cat.id}/delete`,
    ]) {
      const res = await call(path, { method: "POST", headers: formHeaders(b), body: form({ name: "pwned" }) });
      expect(res.status, path).toBe(404);
    }
    expect(await (await call(`/api/collections/${col.id}`, { headers: keyHeaders(a) })).json()).toMatchObject({ name: "A private", fileCount: 1 });
  });

  it("refuses a cross-site form post", async () => {
    const s = await registerStudio();
    const res = await call("/dashboard/gallery/categories", {
      method: "POST",
      headers: { cookie: s.cookie, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: form({ name: "x" }),
    });
    expect(res.status).toBe(403);
    expect(await (await call("/api/categories", { headers: keyHeaders(s) })).json()).toEqual([]);
  });
});

describe("dashboard upload endpoints (session)", () => {
  it("presign and complete with the session cookie; an API key or a foreign origin is refused", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const body = { collectionId: col.id, fileName: "d.jpg", contentType: "image/jpeg", sizeBytes: 4 };
    expect((await postJson("/api/dashboard/gallery/upload/presign", body, keyHeaders(s))).status).toBe(401);
    expect((await postJson("/api/dashboard/gallery/upload/presign", body, { cookie: s.cookie, origin: "https://evil.example" })).status).toBe(403);
    const pres = await postJson("/api/dashboard/gallery/upload/presign", body, sessionHeaders(s));
    expect(pres.status).toBe(200);
    const p = (await pres.json()) as Presigned;
    // The PUT itself is authorised by its signature alone, from any origin (like R2 with CORS).
    const put = await fetchUrl(p.uploadUrl, { method: "PUT", headers: { ...p.headers, origin: "https://partner.example" }, body: "abcd" });
    expect(put.status).toBe(200);
    const done = await postJson("/api/dashboard/gallery/upload/complete", { storageKey: p.storageKey }, sessionHeaders(s));
    expect(done.status).toBe(201);
    expect(await studioRow(s.studioId)).toEqual({ used: 4, reserved: 0 });
    expect(await (await env.FILES.get(p.storageKey))?.text()).toBe("abcd");
  });
});
