import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppEnv } from "../../src/env";
import { fromBracketFields, parseParams, readParams } from "../../src/galleries-v1/params";
import { MoveContentsParams, UpdateMetadataParams } from "../../src/galleries-v1/schemas";

/** A bare app that answers the parsed parameters, so both encodings are read from real Requests. */
function echo(schema?: z.ZodType) {
  const app = new Hono<AppEnv>();
  app.onError((err, c) => c.json({ error: (err as { code?: string }).code ?? String(err) }, 400));
  app.all("/p", async (c) => c.json(schema ? await parseParams(c, schema) : await readParams(c)));
  return app;
}

describe("v1 parameters", () => {
  it("reads Rails bracket names: hashes, arrays of scalars and arrays of hashes", () => {
    const out = fromBracketFields([
      ["target_folder[dirname]", "B"],
      ["folders[][container_id]", "g1"],
      ["folders[][dirname]", "A"],
      ["folders[][container_id]", "g1"],
      ["folders[][dirname]", "C"],
      ["asset_ids[]", "x"],
      ["asset_ids[]", "y"],
      ["custom_metadata[0][value]", "v"],
    ]);
    expect(out).toEqual({
      target_folder: { dirname: "B" },
      folders: [
        { container_id: "g1", dirname: "A" },
        { container_id: "g1", dirname: "C" },
      ],
      asset_ids: ["x", "y"],
      custom_metadata: { "0": { value: "v" } },
    });
  });

  it("refuses names that would reach Object.prototype", () => {
    expect(() => fromBracketFields([["__proto__[x]", "1"]])).toThrow();
    expect(() => fromBracketFields([["a[constructor]", "1"]])).toThrow();
  });

  it("reads the same move from a JSON body, an urlencoded body and a multipart body", async () => {
    const json = { target_folder: { dirname: "B" }, folders: [{ container_id: "g", dirname: "A" }], asset_ids: ["x"], mode: "overwrite" };
    const fields: [string, string][] = [
      ["target_folder[dirname]", "B"],
      ["folders[][container_id]", "g"],
      ["folders[][dirname]", "A"],
      ["asset_ids[]", "x"],
      ["mode", "overwrite"],
    ];
    const app = echo(MoveContentsParams);
    const a = await (await app.request("/p", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(json) })).json();
    const b = await (await app.request("/p", { method: "PUT", body: new URLSearchParams(fields) })).json();
    const form = new FormData();
    for (const [k, v] of fields) form.append(k, v);
    const c = await (await app.request("/p", { method: "PUT", body: form })).json();
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it("takes booleans as true/false, \"true\"/\"false\", \"1\"/\"0\" and nothing else", async () => {
    const app = echo(z.object({ write: (await import("../../src/galleries-v1/params")).Bool }));
    for (const [v, want] of [["true", true], ["1", true], ["false", false], ["0", false]] as const) {
      expect(await (await app.request("/p", { method: "PUT", body: new URLSearchParams({ write: v }) })).json()).toEqual({ write: want });
    }
    for (const v of [true, false]) {
      expect(await (await app.request("/p", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ write: v }) })).json()).toEqual({ write: v });
    }
    expect((await app.request("/p", { method: "PUT", body: new URLSearchParams({ write: "yes" }) })).status).toBe(400);
  });

  it("reads the metadata hash of hashes from form fields", async () => {
    const app = echo(UpdateMetadataParams);
    const res = await app.request("/p", {
      method: "PUT",
      body: new URLSearchParams([
        ["custom_metadata[0][custom_metadata_field]", "cmf_1"],
        ["custom_metadata[0][value]", "12"],
      ]),
    });
    expect(await res.json()).toEqual({ custom_metadata: { "0": { custom_metadata_field: "cmf_1", value: "12" } } });
  });
});
