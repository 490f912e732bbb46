import { describe, expect, it } from "vitest";
import { registerStudio } from "../factories";
import { createGallery, V1, v1 } from "../galleries-v1/helpers";
import { createUpload, uploadAll } from "../uploads/helpers";
import { fetchImage, jpeg, listed } from "./helpers";

describe("resumable (tus) uploads injected into a v1 gallery", () => {
  it("get a thumbnail and a web size like any gallery upload", async () => {
    const s = await registerStudio();
    const g = await createGallery(s);
    const data = jpeg(2400, 1200);
    const up = await createUpload(s.key, data.byteLength, { filename: "Panorama.jpg", filetype: "image/jpeg" });
    await uploadAll(s.key, up.path, data, 64 * 1024);
    const res = await v1("POST", `${V1}/${g.id}/inject_uploads`, s, { uids: [up.id], prefix: "" });
    expect(res.status).toBe(200);
    const [file] = await listed(s, g.id);
    expect(file!.name).toBe("Panorama.jpg");
    expect(await fetchImage(file!.thumbnailUrl!)).toMatchObject({ type: "jpg", width: 400, height: 200 });
    expect(await fetchImage(file!.webUrl!)).toMatchObject({ type: "jpg", width: 2048, height: 1024 });
  }, 60_000);
});
