#!/usr/bin/env node
// The import rule of docs/architecture.md, checked over src/ (run by `npm test`):
//   db <- platform <- ui <- features <- app
// - a folder imports only its own layer or the layers below it; ui imports no feature;
// - features may import each other, but never in a cycle, and never another feature's
//   routes, pages, views or index (those are mounted by the app, not called);
// - nothing imports the app layer.
// Before checking the tree it checks itself on a small graph with known faults, so a check
// that could no longer fail is itself a failure.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const LAYERS = { db: 0, "env.ts": 0, platform: 1, ui: 2, "app.ts": 4, "index.ts": 4, dev: 4 };
const FEATURE = 3;
const NOT_FOR_OTHER_FEATURES = /^(routes|pages|views|index)(\.tsx?)?$|\/(routes|pages|views|index)(\.tsx?)?$/;

/** `accounts/service.ts` -> `accounts`; top-level files are their own unit. */
const unitOf = (file) => file.split("/")[0];
const layerOf = (unit) => LAYERS[unit] ?? FEATURE;

/**
 * Violations of the rule in `graph`: a Map from a src-relative file to the src-relative
 * files it imports. Returns human-readable lines, empty when the shape holds.
 */
export function findViolations(graph) {
  const out = [];
  const featureEdges = new Map();
  for (const [from, targets] of graph) {
    const a = unitOf(from);
    for (const to of targets) {
      const b = unitOf(to);
      if (a === b) continue;
      const la = layerOf(a);
      const lb = layerOf(b);
      if (lb > la) out.push(`${from} -> ${to}: ${a} (layer ${la}) may not import ${b} (layer ${lb})`);
      else if (la === FEATURE && lb === FEATURE) {
        const inside = to.slice(b.length + 1);
        if (NOT_FOR_OTHER_FEATURES.test(inside)) out.push(`${from} -> ${to}: a feature uses another feature's services and schemas, not its ${inside}`);
        if (!featureEdges.has(a)) featureEdges.set(a, new Map());
        if (!featureEdges.get(a).has(b)) featureEdges.get(a).set(b, `${from} -> ${to}`);
      }
    }
  }
  for (const cycle of cycles(featureEdges)) {
    const steps = cycle.map((f, i) => featureEdges.get(f).get(cycle[(i + 1) % cycle.length]));
    out.push(`feature cycle ${[...cycle, cycle[0]].join(" -> ")}:\n    ${steps.join("\n    ")}`);
  }
  return out;
}

/** One shortest cycle through each folder that is on one (folders reported once). */
function cycles(edges) {
  const found = [];
  const seen = new Set();
  for (const start of [...edges.keys()].sort()) {
    if (seen.has(start)) continue;
    const prev = new Map([[start, null]]);
    const queue = [start];
    let closing = null;
    while (queue.length && !closing) {
      const node = queue.shift();
      for (const next of [...(edges.get(node)?.keys() ?? [])].sort()) {
        if (next === start) {
          closing = node;
          break;
        }
        if (!prev.has(next)) {
          prev.set(next, node);
          queue.push(next);
        }
      }
    }
    if (!closing) continue;
    const path = [];
    for (let n = closing; n !== null; n = prev.get(n)) path.unshift(n);
    path.forEach((n) => seen.add(n));
    found.push(path);
  }
  return found;
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx|mjs)$/.test(name) && !name.endsWith(".d.ts") ? [p] : [];
  });
}

function resolveImport(srcDir, fromFile, spec) {
  if (!spec.startsWith(".")) return null;
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.mjs`, join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return relative(srcDir, candidate).split("\\").join("/");
    } catch {}
  }
  return relative(srcDir, base).split("\\").join("/");
}

/** The import graph of every source file under `srcDir` (static, re-export and dynamic imports). */
export function importGraph(srcDir) {
  const graph = new Map();
  for (const file of sourceFiles(srcDir)) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = info.importedFiles.map((f) => resolveImport(srcDir, file, f.fileName)).filter((t) => t !== null);
    graph.set(relative(srcDir, file).split("\\").join("/"), targets);
  }
  return graph;
}

function selfCheck() {
  const bad = new Map([
    ["platform/storage/quota.ts", ["plans/service.ts"]],
    ["ui/views.tsx", ["connect/views.tsx"]],
    ["accounts/routes.ts", ["billing/service.ts"]],
    ["billing/service.ts", ["accounts/service.ts"]],
    ["drive/service.ts", ["connect/routes.tsx"]],
    ["gallery/service.ts", ["app.ts"]],
    ["plans/service.ts", ["db/index.ts", "platform/errors.ts"]],
  ]);
  const found = findViolations(bad).join("\n");
  const expected = ["platform/storage/quota.ts -> plans", "ui/views.tsx -> connect", "feature cycle accounts -> billing -> accounts", "not its routes.tsx", "gallery/service.ts -> app.ts"];
  const missed = expected.filter((e) => !found.includes(e));
  if (missed.length || found.includes("plans/service.ts ->")) {
    throw new Error(`check-layers self-check failed; missed: ${missed.join(", ") || "none"}\n${found}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  selfCheck();
  const srcDir = fileURLToPath(new URL("..", import.meta.url));
  const violations = findViolations(importGraph(srcDir));
  if (violations.length) {
    console.error(`Forbidden imports (see docs/architecture.md):\n  ${violations.join("\n  ")}`);
    process.exit(1);
  }
  console.log("layers: db <- platform <- ui <- features <- app hold; no feature cycles");
}
