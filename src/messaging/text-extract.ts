const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

/** Reduces an HTML page to readable text: scripts, styles and markup dropped, block ends kept as line breaks. */
export function htmlToText(html: string): { title: string; text: string } {
  const title = decode(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? "").trim();
  const body = html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<(script|style|noscript|template|svg|head|nav|footer)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<(br|\/p|\/div|\/h[1-6]|\/li|\/tr|\/section|\/article|\/blockquote)\b[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, " ");
  return { title, text: tidy(decode(body)) };
}

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : " ";
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Collapses runs of spaces, keeps paragraph breaks, drops control characters. */
export function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, " ")
    .replace(/[ \t\u00A0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** A CSV file as "header: value" lines per row, so each row reads as a fact. */
export function csvToText(csv: string): string {
  const rows = csv.replace(/\r\n?/g, "\n").split("\n").filter((l) => l.trim() !== "").map(splitCsvLine);
  const [head, ...rest] = rows;
  if (!head || rest.length === 0) return tidy(csv);
  return rest.map((r) => head.map((h, i) => `${h.trim()}: ${(r[i] ?? "").trim()}`).join("; ")).join("\n\n");
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") out.push(cur), (cur = "");
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Target size of one indexed chunk (characters). */
export const CHUNK_CHARS = 800;

/** Cuts text into chunks of about CHUNK_CHARS at paragraph, then sentence boundaries. */
export function chunkText(text: string): string[] {
  const pieces = text
    .split(/\n{2,}/)
    .flatMap((p) => (p.length <= CHUNK_CHARS ? [p] : (p.match(/[^.!?\n]+[.!?]*\s*/g) ?? [p])))
    .flatMap((p) => (p.length <= CHUNK_CHARS ? [p] : (p.match(new RegExp(`[\\s\\S]{1,${CHUNK_CHARS}}`, "g")) ?? [])));
  const chunks: string[] = [];
  let cur = "";
  for (const p of pieces) {
    if (cur && cur.length + p.length + 2 > CHUNK_CHARS) {
      chunks.push(cur.trim());
      cur = "";
    }
    cur += (cur ? "\n\n" : "") + p.trim();
  }
  if (cur.trim()) chunks.push(cur.trim());
  return chunks.filter((c) => c.length > 0);
}
