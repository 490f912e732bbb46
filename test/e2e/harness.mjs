// Helpers for browser specs: a shared headless Chromium (Debian's, driven by playwright-core),
// a fresh context per test, and account shortcuts against the running dev server.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after } from "node:test";
import { chromium } from "playwright-core";
import { ROOT } from "./server.mjs";

export const DEMO_PASSWORD = "gellhub-demo-2026";

export function baseUrl() {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is not set: run specs through `node test/e2e/run.mjs`");
  return url;
}

let browserPromise = null;
function browser() {
  browserPromise ??= chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  return browserPromise;
}

after(async () => {
  if (browserPromise) await (await browserPromise).close();
});

/** Runs `fn` with a page in a fresh browser context; saves a screenshot when it throws. */
export async function withPage(fn, { name = "page" } = {}) {
  const context = await (await browser()).newContext({ baseURL: baseUrl(), viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    return await fn(page, context);
  } catch (err) {
    const dir = join(ROOT, "test", "e2e", "artifacts");
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name.replace(/\W+/g, "-")}-${Date.now()}.png`), fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await context.close();
  }
}

/** Logs in through the /login form and waits for the dashboard. */
export async function loginAs(page, email, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await Promise.all([page.waitForURL(/\/dashboard/), page.getByRole("button", { name: "Log in" }).click()]);
}

let seq = 0;
/** Registers a fresh account through POST /api/register. */
export async function registerViaApi(accountType = "studio", extra = {}) {
  const email = `e2e-${accountType}-${Date.now().toString(36)}-${++seq}@example.com`;
  const password = "e2e password 123";
  const res = await fetch(`${baseUrl()}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, displayName: `E2E ${accountType}`, accountType, ...extra }),
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const body = await res.json();
  return { email, password, key: body.apiKey ?? body.driveApiKey ?? body.messagingApiKey, body };
}

/** An API call with `who`'s x-api-key and a JSON body; throws on a status >= 300, else the parsed answer (null when empty). */
/** One JSON API call with an account's key: `{ status, body }`, whatever the status. */
export async function apiCall(who, method, path, body) {
  const res = await fetch(`${baseUrl()}${path}`, {
    method,
    headers: { "x-api-key": who.key, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Like apiCall, but a status >= 300 throws with the answer; returns the body. */
export async function apiJson(who, method, path, body) {
  const res = await fetch(`${baseUrl()}${path}`, {
    method,
    headers: { "x-api-key": who.key, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
