/**
 * Where image variants live in R2: next to the original, `<storageKey>~thumb.jpg` and
 * `<storageKey>~web.jpg`. `~` never occurs in a key the server picks (safeKeySegment), so a
 * variant key can never be mistaken for an original's.
 */

export type VariantKind = "thumb" | "web";
export const VARIANT_KINDS: readonly VariantKind[] = ["thumb", "web"];

/** Long edge in pixels of each variant (never upscaled). */
export const VARIANT_LONG_EDGE: Record<VariantKind, number> = { thumb: 400, web: 2048 };

/** Every variant is a JPEG: every browser, mail client and photo tool reads it. */
export const VARIANT_EXT = "jpg";
export const VARIANT_CONTENT_TYPE = "image/jpeg";

export const variantKey = (storageKey: string, kind: VariantKind) => `${storageKey}~${kind}.${VARIANT_EXT}`;

const VARIANT_RE = /^(.+)~(thumb|web)\.jpg$/;

/** For a variant key, its original's key and kind; null for any other key. */
export function parseVariantKey(key: string): { storageKey: string; kind: VariantKind } | null {
  const m = VARIANT_RE.exec(key);
  return m ? { storageKey: m[1]!, kind: m[2] as VariantKind } : null;
}

/** The keys every variant of these originals would have (deleting an original deletes them too). */
export const variantKeysOf = (storageKeys: string[]) => storageKeys.flatMap((k) => VARIANT_KINDS.map((kind) => variantKey(k, kind)));
