/** The developer guide's "Drive presigned upload (recommended)" example; see documented-upload.js. */
export function documentedPresignedUpload(
  fetch: (url: string, init?: RequestInit) => Promise<Response>,
  fileInput: { files: File[] },
  console: { log: (...args: unknown[]) => void },
  apiKey: string,
  folderId: string | null,
): Promise<void>;
