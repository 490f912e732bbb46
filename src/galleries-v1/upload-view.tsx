import type { FC } from "hono/jsx";

/** Where the build puts the bundled control (src/dev/build-assets.mjs, from widget/large-upload.ts). */
export const LARGE_UPLOAD_SCRIPT = "/assets/tus/large-upload.js";

/**
 * "Upload large files" on the v1 gallery page (write access): resumable tus uploads with a
 * progress bar, pause and resume per file, resume after a reload (pick the same file again),
 * then each finished upload goes into the gallery under the chosen folder.
 */
export const LargeUploadCard: FC<{ galleryId: string; folders: string[]; nonce?: string }> = ({ galleryId, folders, nonce }) => (
  <div class="card" data-testid="large-upload" data-tus-endpoint="/api/v1/uploads" data-inject-url={`/dashboard/galleries/${galleryId}/inject`} data-gallery-id={galleryId}>
    <h3>Upload large files</h3>
    <p class="muted">Resumable: pause and resume, or pick the same file again after a reload or a dropped connection to carry on where it stopped.</p>
    <label>
      Folder
      <input name="prefix" list="large-upload-folders" placeholder="(gallery root)" maxlength={2048} />
    </label>
    <datalist id="large-upload-folders">
      {folders.map((f) => (
        <option value={f} />
      ))}
    </datalist>
    <label>
      Large files
      <input type="file" multiple />
    </label>
    <ul data-tus-list aria-label="Large uploads" />
    <script src={LARGE_UPLOAD_SCRIPT} nonce={nonce} defer />
  </div>
);
