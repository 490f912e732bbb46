import { describe, expect, it } from "vitest";
import { connectViaRegister, createPartnerApp, exchange } from "../connect/helpers";
import { registerAccount } from "../factories";
import { api, call, list, mkdir, ok, registerDrive, sessionHeaders, upload, uploadPresigned } from "./helpers";

function form(a: { cookie: string }, path: string, fields: Record<string, string>) {
  return call(path, { method: "POST", headers: sessionHeaders(a), body: new URLSearchParams(fields), redirect: "manual" });
}

const page = async (a: { cookie: string }, query = "") => {
  const res = await call(`/dashboard/drive${query}`, { headers: { cookie: a.cookie } });
  return { status: res.status, html: await res.text(), csp: res.headers.get("content-security-policy") ?? "" };
};

describe("Drive dashboard page", () => {
  it("sends visitors without a session to the login page", async () => {
    const res = await call("/dashboard/drive", { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?next=%2Fdashboard%2Fdrive");
  });

  it("renders breadcrumbs, the storage meter, uploads and the nav link, with a nonce CSP", async () => {
    const a = await registerDrive();
    const f = await mkdir(a, "Holidays");
    await upload(a, "beach.png", "png", f.id, "image/png");
    await upload(a, "doc.pdf", "%PDF-1.4", f.id, "application/pdf");
    const { status, html, csp } = await page(a, `?folder=${f.id}`);
    expect(status).toBe(200);
    expect(html).toContain('href="/dashboard/drive">Drive</a>');
    expect(html).toContain('aria-label="Breadcrumb"');
    expect(html).toContain('data-testid="storage-meter"');
    expect(html).toContain(`data-folder-id="${f.id}"`);
    expect(html).toContain('data-preview="image"');
    expect(html).toContain('data-preview="pdf"');
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("creates, renames, moves and deletes through forms, then restores and deletes forever from the bin", async () => {
    const a = await registerDrive();
    const created = await form(a, "/dashboard/drive/folders", { name: "Projects", parentId: "", back: "/dashboard/drive" });
    expect(created.status).toBe(303);
    const projects = (await list(a)).folders.find((f) => f.name === "Projects")!;
    const file = await upload(a, "plan.txt", "plan");
    expect((await form(a, `/dashboard/drive/items/${file.id}/rename`, { type: "file", name: "plan-v2.txt", back: "/dashboard/drive" })).status).toBe(303);
    expect((await form(a, `/dashboard/drive/items/${file.id}/move`, { type: "file", targetFolderId: projects.id, back: "/dashboard/drive" })).status).toBe(303);
    expect((await list(a, `?parentId=${projects.id}`)).files.map((x) => x.name)).toEqual(["plan-v2.txt"]);
    const dup = await form(a, "/dashboard/drive/folders", { name: "projects", parentId: "", back: "/dashboard/drive" });
    expect(dup.status).toBe(409);
    expect(await dup.text()).toContain("already exists");
    const loop = await form(a, `/dashboard/drive/items/${projects.id}/move`, { type: "folder", targetFolderId: projects.id, back: "/dashboard/drive" });
    expect(loop.status).toBe(400);

    expect((await form(a, `/dashboard/drive/items/${projects.id}/delete`, { type: "folder", back: "/dashboard/drive" })).status).toBe(303);
    const bin = await page(a, "?view=trash");
    expect(bin.html).toContain(`data-trash-id="${projects.id}"`);
    expect(bin.html).toContain("(1 file(s))");
    const restore = await form(a, "/dashboard/drive/trash/restore", { type: "folder", id: projects.id, back: "/dashboard/drive?view=trash" });
    expect(restore.status).toBe(303);
    expect(restore.headers.get("location")).toBe("/dashboard/drive?view=trash");
    expect((await list(a, `?parentId=${projects.id}`)).files).toHaveLength(1);
    await form(a, `/dashboard/drive/items/${projects.id}/delete`, { type: "folder", back: "/dashboard/drive" });
    expect((await form(a, "/dashboard/drive/trash/delete", { type: "folder", id: projects.id, back: "/dashboard/drive?view=trash" })).status).toBe(303);
    expect((await ok<{ items: unknown[] }>(api("GET", "/api/drive/trash", a))).items).toEqual([]);
  });

  it("never redirects a form anywhere but back to the Drive page", async () => {
    const a = await registerDrive();
    const res = await form(a, "/dashboard/drive/folders", { name: "x", parentId: "", back: "https://evil.example/" });
    expect(res.headers.get("location")).toBe("/dashboard/drive");
    const res2 = await form(a, "/dashboard/drive/folders", { name: "y", parentId: "", back: "//evil.example" });
    expect(res2.headers.get("location")).toBe("/dashboard/drive");
  });

  it("rejects bad form input with the page and an error, and another account's ids with 404", async () => {
    const a = await registerDrive();
    const b = await registerDrive();
    const f = await mkdir(a, "mine");
    expect((await form(a, "/dashboard/drive/folders", { name: "", parentId: "" })).status).toBe(400);
    expect((await form(a, `/dashboard/drive/items/${f.id}/rename`, { type: "nope", name: "x" })).status).toBe(400);
    expect((await form(a, "/dashboard/drive/trash/restore", { type: "file", id: "" })).status).toBe(400);
    for (const [path, fields] of [
      [`/dashboard/drive/items/${f.id}/rename`, { type: "folder", name: "x" }],
      [`/dashboard/drive/items/${f.id}/move`, { type: "folder", targetFolderId: "" }],
      [`/dashboard/drive/items/${f.id}/delete`, { type: "folder" }],
      ["/dashboard/drive/folders", { name: "x", parentId: f.id }],
      ["/dashboard/drive/trash/restore", { type: "folder", id: f.id }],
      ["/dashboard/drive/trash/delete", { type: "folder", id: f.id }],
    ] as const) {
      expect((await form(b, path, fields)).status, path).toBe(404);
    }
    expect((await page(b, `?folder=${f.id}`)).status).toBe(404);
    expect((await list(a)).folders.map((x) => x.name)).toEqual(["mine"]);
    // Cross-site form posts are refused.
    const evil = await call("/dashboard/drive/folders", { method: "POST", headers: { cookie: a.cookie, origin: "https://evil.example" }, body: new URLSearchParams({ name: "z" }) });
    expect(evil.status).toBe(403);
  });

  it("hides integration app folders unless asked, and shows their tree read-only", async () => {
    const app = await createPartnerApp("drive");
    const flow = await connectViaRegister(app, "drive");
    const ex = (await (await exchange(flow.code, app)).json()) as { driveApiKey: string };
    const user = { key: ex.driveApiKey, cookie: `gh_session=${flow.browser.cookies.get("gh_session")}` };
    const file = await uploadPresigned(user, "sync.txt", "s", null, { "x-gellhub-integration-client-id": app.clientId });
    const appFolder = file.folderId!;
    expect((await page(user)).html).not.toContain(`data-folder-id="${appFolder}"`);
    expect((await page(user, "?apps=1")).html).toContain(`data-folder-id="${appFolder}"`);
    const inside = await page(user, `?folder=${appFolder}&apps=1`);
    expect(inside.html).toContain('data-testid="read-only"');
    expect(inside.html).not.toContain('id="uploader"');
    expect(inside.html).not.toContain(`/dashboard/drive/items/${file.id}/delete`);
    for (const [path, fields] of [
      [`/dashboard/drive/items/${file.id}/rename`, { type: "file", name: "x" }],
      [`/dashboard/drive/items/${file.id}/delete`, { type: "file" }],
      [`/dashboard/drive/items/${appFolder}/delete`, { type: "folder" }],
      ["/dashboard/drive/folders", { name: "x", parentId: appFolder }],
    ] as const) {
      expect((await form(user, path, fields)).status, path).toBe(403);
    }
  });

  it("tells an account without Drive to enable it", async () => {
    const studio = await registerAccount("studio");
    const res = await page(studio);
    expect(res.status).toBe(404);
    expect(res.html).toContain("Drive is not enabled");
  });
});
