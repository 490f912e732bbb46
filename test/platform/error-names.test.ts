import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { call, postJson, registerAccount, sessionHeaders, uniqueEmail, type TestAccount } from "../factories";

/** Characters that break naive storage or display: lone surrogates, C0/C1 controls, RTL and zero-width marks, combining marks. */
const HOSTILE = ["\ud800", "\udfff", "\udbff", "\u0000", "\u0009", "\u000a", "\u001f", "\u007f", "\u0085", "\u009f", "\u200e", "\u200f", "\u202e", "\u2066", "\u200b", "\ufeff", "\u0301", "e\u0301", " ", "\u3000", "😀", "\ud83d\ude00", "ﬁ", "Å"];
const unit = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: "binary", maxLength: 2 }), fc.constantFrom("a", "Z", "-", "."));
/** Generated names: mostly short, some far over any limit. */
const names = fc.oneof(
  { weight: 8, arbitrary: fc.array(unit, { maxLength: 24 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: fc.array(unit, { minLength: 120, maxLength: 400 }).map((parts) => parts.join("")) },
);

/** Valid Unicode (no unpaired surrogate) without C0/C1 control characters. */
const isCleanText = (v: unknown): boolean =>
  typeof v === "string" && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\u0000-\u001F\u007F-\u009F]/.test(v);

const json = (method: string, body: unknown, headers: Record<string, string>): RequestInit => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/**
 * One name field: `create` sends the name and returns the response; `readBack` reads the
 * stored value of the created thing. The property: a 2xx answer's name equals what is read
 * back afterwards, and anything else is a 400 invalid_request.
 */
interface NameField {
  label: string;
  create: (name: string) => Promise<{ res: Response; body: Record<string, unknown>; answered: () => unknown }>;
  readBack: (body: Record<string, unknown>) => Promise<unknown>;
}

async function fieldsFor(studio: TestAccount, drive: TestAccount): Promise<NameField[]> {
  const key = (a: TestAccount) => ({ "x-api-key": a.key });
  const send = async (path: string, init: RequestInit) => {
    const res = await call(path, init);
    const body = (await res.json()) as Record<string, unknown>;
    return { res, body };
  };
  const collection = (await send("/api/collections", json("POST", { name: "Base" }, key(studio)))).body;
  const folder = (await send("/api/drive", json("POST", { name: "Base" }, key(drive)))).body;
  let seq = 0;
  return [
    {
      label: "category name",
      create: async (name) => {
        const r = await send("/api/categories", json("POST", { name }, key(studio)));
        return { ...r, answered: () => r.body.name };
      },
      readBack: async (b) => {
        const list = (await (await call("/api/categories", { headers: key(studio) })).json()) as { id: string; name: string }[];
        return list.find((c) => c.id === b.id)?.name;
      },
    },
    {
      label: "collection name and clientName",
      create: async (name) => {
        const r = await send("/api/collections", json("POST", { name: `${name}x`, clientName: name }, key(studio)));
        return { ...r, answered: () => [r.body.name, r.body.clientName] };
      },
      readBack: async (b) => {
        const c = (await (await call(`/api/collections/${b.id}`, { headers: key(studio) })).json()) as Record<string, unknown>;
        return [c.name, c.clientName];
      },
    },
    {
      label: "collection rename",
      create: async (name) => {
        const r = await send(`/api/collections/${collection.id}`, json("PATCH", { name, clientName: name }, key(studio)));
        return { ...r, answered: () => [r.body.name, r.body.clientName] };
      },
      readBack: async () => {
        const c = (await (await call(`/api/collections/${collection.id}`, { headers: key(studio) })).json()) as Record<string, unknown>;
        return [c.name, c.clientName];
      },
    },
    {
      label: "drive folder name",
      create: async (name) => {
        // A unique suffix keeps case-insensitive name conflicts out of the property.
        const r = await send("/api/drive", json("POST", { name: `${name}~${++seq}` }, key(drive)));
        return { ...r, answered: () => r.body.name };
      },
      readBack: async (b) => {
        const item = (await (await call(`/api/drive/items/${b.id}?type=folder`, { headers: key(drive) })).json()) as Record<string, unknown>;
        return item.name;
      },
    },
    {
      label: "drive rename",
      create: async (name) => {
        const r = await send(`/api/drive/items/${folder.id}?type=folder`, json("PATCH", { name: `${name}~${++seq}` }, key(drive)));
        return { ...r, answered: () => r.body.name };
      },
      readBack: async () => {
        const item = (await (await call(`/api/drive/items/${folder.id}?type=folder`, { headers: key(drive) })).json()) as Record<string, unknown>;
        return item.name;
      },
    },
    {
      label: "API key label",
      create: async (label) => {
        const r = await send("/api/account/keys", json("POST", { productLine: "drive", label }, sessionHeaders(drive)));
        return { ...r, answered: () => r.body.label };
      },
      readBack: async (b) => {
        const { keys } = (await (await call("/api/account/keys", { headers: sessionHeaders(drive) })).json()) as { keys: { id: string; label: string }[] };
        return keys.find((k) => k.id === b.id)?.label;
      },
    },
    {
      label: "display name at registration",
      create: async (displayName) => {
        const r = await send("/api/register", json("POST", { email: uniqueEmail("names"), password: "a good password", displayName, accountType: "drive" }, {}));
        return { ...r, answered: () => r.body.displayName };
      },
      readBack: async (b) => {
        const account = (await (await call("/api/account", { headers: { "x-api-key": String(b.driveApiKey) } })).json()) as { profile: { displayName: string } };
        return account.profile.displayName;
      },
    },
    {
      label: "partner app name",
      create: async (name) => {
        const body = { name, allowedProductTypes: ["drive"], redirectUris: ["https://partner.example/cb"] };
        const r = await send("/api/console/apps", json("POST", body, sessionHeaders(drive)));
        return { ...r, answered: () => r.body.name };
      },
      readBack: async (b) => {
        const app = (await (await call(`/api/console/apps/${b.id}`, { headers: sessionHeaders(drive) })).json()) as Record<string, unknown>;
        return app.name;
      },
    },
  ];
}

describe("user-given names: what the answer says is what is stored", () => {
  it("refuses the reported lone surrogate in a category name instead of storing U+FFFD", async () => {
    const studio = await registerAccount("studio");
    const res = await postJson("/api/categories", { name: "a\ud800b" }, { "x-api-key": studio.key });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
    const list = (await (await call("/api/categories", { headers: { "x-api-key": studio.key } })).json()) as unknown[];
    expect(list).toEqual([]);
  });

  it("refuses a lone surrogate in a display name at registration", async () => {
    const res = await postJson("/api/register", { email: `s-${Date.now()}@example.com`, password: "a good password", displayName: "Studio \udc00", accountType: "studio" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });

  it("holds for generated names on every name field (property)", async () => {
    const studio = await registerAccount("studio");
    const drive = await registerAccount("drive");
    for (const field of await fieldsFor(studio, drive)) {
      await fc.assert(
        fc.asyncProperty(names, async (name) => {
          const { res, body, answered } = await field.create(name);
          if (res.status >= 200 && res.status < 300) {
            // What was accepted is stored and answered as valid, one-line Unicode text.
            expect([answered()].flat().every(isCleanText), `${field.label}: ${JSON.stringify(answered())}`).toBe(true);
            expect(await field.readBack(body), field.label).toEqual(answered());
          } else {
            expect([res.status, body.error], `${field.label}: ${JSON.stringify(name)}`).toEqual([400, "invalid_request"]);
          }
        }),
        { numRuns: 40 },
      );
    }
  });
});
