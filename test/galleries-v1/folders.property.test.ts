import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { registerStudio } from "../factories";
import { bytes, uploadFile } from "../gallery/helpers";
import { assets, createGallery, folders, V1, v1 } from "./helpers";

const NAMES = ["a", "b", "c"];
const Op = fc.oneof(
  fc.record({ kind: fc.constant("create" as const), parent: fc.nat(), name: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant("rename" as const), folder: fc.nat(), name: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant("moveFolder" as const), folder: fc.nat(), target: fc.nat(), overwrite: fc.boolean() }),
  fc.record({ kind: fc.constant("moveAsset" as const), asset: fc.nat(), target: fc.nat() }),
  fc.record({ kind: fc.constant("renameAsset" as const), asset: fc.nat(), name: fc.constantFrom("x.jpg", "y.jpg") }),
);

const under = (p: string, f: string) => p === f || p.startsWith(`${f}/`);
const moveUnder = (p: string, from: string, to: string) => (under(p, from) ? to + p.slice(from.length) : p);

describe("folder operations (property)", () => {
  it("keep the dirname tree consistent and every asset reachable after any sequence", async () => {
    const s = await registerStudio();
    await fc.assert(
      fc.asyncProperty(fc.array(Op, { minLength: 1, maxLength: 10 }), async (ops) => {
        const g = await createGallery(s, "Prop");
        const ids: string[] = [];
        for (const name of ["x.jpg", "y.jpg", "z.jpg"]) ids.push((await uploadFile(s, g.id, name, bytes(1))).id);
        // The expected state, changed only by the operations the API accepted.
        let model = { folders: new Set<string>(), dirs: new Map(ids.map((i) => [i, ""])) };
        const pick = (n: number) => {
          const all = ["", ...[...model.folders].sort()];
          return all[n % all.length]!;
        };
        for (const op of ops) {
          const put = (route: string, body: unknown) => v1("PUT", `${V1}/${g.id}/${route}`, s, body);
          let res: Response;
          if (op.kind === "create") {
            const parent = pick(op.parent);
            res = await put("create_folder", { dirname: parent, name: op.name });
            if (res.status === 200) model.folders.add(parent ? `${parent}/${op.name}` : op.name);
          } else if (op.kind === "rename" || op.kind === "moveFolder") {
            const folder = pick(op.folder);
            const parent = folder.includes("/") ? folder.slice(0, folder.lastIndexOf("/")) : "";
            const base = folder.slice(folder.lastIndexOf("/") + 1);
            const target = op.kind === "rename" ? parent : pick(op.target);
            const to = op.kind === "rename" ? (parent ? `${parent}/${op.name}` : op.name) : target ? `${target}/${base}` : base;
            res =
              op.kind === "rename"
                ? await put("rename_folder", { folder: { dirname: folder }, name: op.name })
                : await put("move_contents", { target_folder: { dirname: target }, folders: [{ container_id: g.id, dirname: folder }], mode: op.overwrite ? "overwrite" : undefined });
            if (res.status === 200 && to !== folder) {
              // An overwrite replaces what was at `to` (assets beneath it are removed).
              const replaced = [...model.folders].filter((f) => under(f, to));
              const gone = new Set([...model.dirs].filter(([, d]) => replaced.some((r) => under(d, r))).map(([i]) => i));
              model = {
                folders: new Set([...model.folders].filter((f) => !under(f, to)).map((f) => moveUnder(f, folder, to))),
                dirs: new Map([...model.dirs].filter(([i]) => !gone.has(i)).map(([i, d]) => [i, moveUnder(d, folder, to)])),
              };
            }
          } else if (op.kind === "moveAsset") {
            const live = [...model.dirs.keys()];
            if (!live.length) continue;
            const id = live[op.asset % live.length]!;
            const target = pick(op.target);
            res = await put("move_contents", { target_folder: { dirname: target }, asset_ids: [id] });
            if (res.status === 200) model.dirs.set(id, target);
          } else {
            const live = [...model.dirs.keys()];
            if (!live.length) continue;
            res = await put("rename_asset", { asset_id: live[op.asset % live.length]!, name: op.name });
          }
          expect([200, 400, 404, 409], await res.clone().text()).toContain(res.status);
        }
        const realFolders = await folders(s, g.id);
        const realAssets = await assets(s, g.id);
        const folderSet = new Set(realFolders);
        // The tree: every folder's parent exists; every asset sits in the root or an existing folder.
        for (const f of realFolders) {
          const parent = f.includes("/") ? f.slice(0, f.lastIndexOf("/")) : "";
          expect(parent === "" || folderSet.has(parent), `parent of ${f}`).toBe(true);
        }
        for (const a of realAssets) expect(a.dirname === "" || folderSet.has(a.dirname), `dirname ${a.dirname}`).toBe(true);
        // And it is the state the accepted operations describe.
        expect(realFolders).toEqual([...model.folders].sort());
        expect(new Map(realAssets.map((a) => [a.id, a.dirname]))).toEqual(model.dirs);
      }),
      { numRuns: 25 },
    );
  });
});
