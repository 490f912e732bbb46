import type { Context } from "hono";
import { z } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { ApiError } from "../platform/errors";
import { zodDetail } from "../platform/openapi";

/** Bracket names that would reach Object.prototype; never keys of a parsed body. */
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);
const MAX_FIELDS = 1000;
const MAX_DEPTH = 5;

type Tree = Record<string, unknown>;

function segmentsOf(name: string): string[] | null {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
  if (!m) return null;
  const segs = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
  if (segs.length > MAX_DEPTH || segs.some((s) => FORBIDDEN.has(s))) return null;
  return segs;
}

const isTree = (v: unknown): v is Tree => typeof v === "object" && v !== null && !Array.isArray(v);

/** Rails: `a[][k]=…` fills the last hash of `a` until it already has `k`, then starts a new one. */
function placeInArray(list: unknown[], rest: string[], value: unknown): void {
  if (rest.length === 0) return void list.push(value);
  const last = list[list.length - 1];
  const target: Tree = isTree(last) && !(rest[0]! in last) ? last : {};
  if (target !== last) list.push(target);
  placeInTree(target, rest, value);
}

function placeInTree(into: Tree, segs: string[], value: unknown): void {
  const [seg, ...rest] = segs as [string, ...string[]];
  if (rest.length === 0) {
    into[seg] = value;
  } else if (rest[0] === "") {
    const list = Array.isArray(into[seg]) ? (into[seg] as unknown[]) : [];
    into[seg] = list;
    placeInArray(list, rest.slice(1), value);
  } else {
    const child = isTree(into[seg]) ? (into[seg] as Tree) : {};
    into[seg] = child;
    placeInTree(child, rest, value);
  }
}

/**
 * Turns Rails-style bracket fields (`gallery[name]`, `folders[][dirname]`, `asset_ids[]`,
 * `custom_metadata[0][value]`) into one plain object. Unusable names are a 400.
 */
export function fromBracketFields(entries: Iterable<[string, unknown]>): Tree {
  const out: Tree = {};
  let n = 0;
  for (const [name, value] of entries) {
    if (++n > MAX_FIELDS) throw new ApiError("invalid_request", `At most ${MAX_FIELDS} fields`);
    const segs = segmentsOf(name);
    if (!segs) throw new ApiError("invalid_request", [{ path: name, message: "unsupported parameter name" }]);
    placeInTree(out, segs, value);
  }
  return out;
}

/**
 * The request's parameters as one plain object: the query string's bracket fields, overlaid by
 * the body's (JSON, urlencoded or multipart form). Files in a form are ignored.
 */
export async function readParams(c: Context<AppEnv>): Promise<Tree> {
  const url = new URL(c.req.url);
  const params = fromBracketFields(url.searchParams.entries());
  const type = c.req.header("content-type") ?? "";
  if (/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    const text = await c.req.text();
    if (!text.trim()) return params;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError("invalid_json", "The body is not valid JSON");
    }
    if (!isTree(body)) throw new ApiError("invalid_request", "The JSON body must be an object");
    return { ...params, ...body };
  }
  if (/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    const form = await c.req.formData();
    const fields = [...form.entries()].filter(([, v]) => typeof v === "string") as [string, string][];
    return { ...params, ...fromBracketFields(fields) };
  }
  return params;
}

/** Reads the request's parameters and parses them with `schema` (400 `invalid_request`). */
export async function parseParams<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.output<T>> {
  const parsed = schema.safeParse(await readParams(c));
  if (!parsed.success) throw new ApiError("invalid_request", zodDetail(parsed.error));
  return parsed.data;
}

/** A boolean as Rails clients send it: true/false, "true"/"false", "1"/"0" (and 1/0). */
export const Bool = z
  .union([z.boolean(), z.enum(["true", "false", "1", "0"]), z.literal(1), z.literal(0)])
  .transform((v) => v === true || v === "true" || v === "1" || v === 1);

/** An id or a string value as forms send it; JSON numbers are accepted and turned into text. */
export const Str = (max = 255) => z.union([z.string(), z.number().transform(String)]).pipe(z.string().max(max));

/** A list as forms send it: `a[]=1&a[]=2` or JSON arrays; a lone value becomes a list of one. */
export const List = <T extends z.ZodType>(item: T, max = 500) =>
  z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : isTree(v) ? Object.values(v) : [v]), z.array(item).max(max));
