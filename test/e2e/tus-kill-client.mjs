// A tus-js-client process for tus-node.spec.mjs: uploads the file at argv[2] (or resumes
// argv[5] when given) to argv[3] with the key argv[4], in 7 MiB chunks, and prints one JSON
// line per event: {"url"} once the upload exists, {"chunk", "offset"} after each chunk,
// {"firstPatchOffset"} for the first PATCH it sends, {"done"} at the end. The spec kills it.
import { readFileSync } from "node:fs";
import { Upload } from "tus-js-client";

const [file, endpoint, key, resumeUrl] = process.argv.slice(2);
const data = readFileSync(file);
const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
let chunks = 0;
let firstPatch = true;
const upload = new Upload(data, {
  endpoint,
  ...(resumeUrl ? { uploadUrl: resumeUrl } : {}),
  chunkSize: 7 * 1024 * 1024,
  headers: { "x-api-key": key },
  metadata: { filename: "forty.bin", filetype: "application/octet-stream" },
  onBeforeRequest(req) {
    if (req.getMethod() === "PATCH" && firstPatch) {
      firstPatch = false;
      say({ firstPatchOffset: Number(req.getHeader("Upload-Offset")) });
    }
  },
  onAfterResponse(req, res) {
    if (req.getMethod() === "POST") say({ url: upload.url ?? res.getHeader("Location") });
  },
  onChunkComplete(_size, accepted) {
    say({ chunk: ++chunks, offset: accepted });
  },
  onSuccess() {
    say({ done: true, url: upload.url });
  },
  onError(err) {
    say({ error: String(err) });
    process.exit(1);
  },
});
upload.start();
