/**
 * The developer guide's "JavaScript - Drive presigned upload (recommended)" example, verbatim
 * apart from the base URL; `fetch`, `fileInput` and `console` are what a browser would give it.
 */
export async function documentedPresignedUpload(fetch, fileInput, console, apiKey, folderId) {
  // --- from here on verbatim (the constants the guide declares are the parameters above) ---
  const file = fileInput.files[0];

  // 1) Ask gellhub for presigned PUT URL
  const presignRes = await fetch('http://localhost/api/drive/upload/presign', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'x-api-key': apiKey,
    },
    body: JSON.stringify({
      fileName: file.name,
      contentType: file.type || 'application/octet-stream',
      sizeBytes: file.size,
      folderId: folderId || null,
    }),
  });
  if (!presignRes.ok) throw new Error(await presignRes.text());
  const { uploadUrl, storageKey, headers } = await presignRes.json();

  // 2) Upload directly to object storage (Wasabi)
  const putRes = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { 'Content-Type': headers?.['Content-Type'] || file.type || 'application/octet-stream' },
    body: file,
  });
  if (!putRes.ok) throw new Error('PUT failed: ' + putRes.status);

  // 3) Finalize on gellhub
  // If storage is not immediately visible, retry /complete a few times.
  for (let attempt = 1; attempt <= 5; attempt++) {
    const completeRes = await fetch('http://localhost/api/drive/upload/complete', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'x-api-key': apiKey,
      },
      body: JSON.stringify({
        storageKey,
        fileName: file.name,
        contentType: file.type || 'application/octet-stream',
        sizeBytes: file.size,
        folderId: folderId || null,
      }),
    });
    if (completeRes.ok) {
      const fileRecord = await completeRes.json();
      console.log('Uploaded:', fileRecord);
      break;
    }
    const err = await completeRes.json().catch(() => ({}));
    const retryable = err?.error === 'upload_incomplete_or_mismatch' &&
      err?.detail === 'object_not_visible_yet_retry_complete';
    if (!retryable || attempt === 5) throw new Error(JSON.stringify(err));
    await new Promise((r) => setTimeout(r, attempt * 1000));
  }
}

