/**
 * Drive's service: what its routes, pages and the cron call. The functions live by concern:
 * access (who acts), tree (names and folder chains), listing (public shapes, pages of a folder),
 * items (create, get, rename/move, trash), trash (the Recycle Bin) and uploads.
 */
export { getDrive, resolveIntegration, type DriveCtx } from "./access";
export { ensureAppFolder, nameKeyOf } from "./tree";
export { listAllFolders, listFolder, MEDIA_AUDIENCE, ROOT_NAME, toPublicFile, toPublicFolder, type ListInput } from "./listing";
export { createFolder, getItem, trashItem, updateItem, type ItemType, type UpdateInput } from "./items";
export { listTrash, purgeExpiredTrash, purgeItems, restoreItems, TRASH_RETENTION_MS, type TrashEntry, type TrashSelection } from "./trash";
export {
  cleanFileName,
  completeDriveUpload,
  driveStorage,
  findLiveFileByKey,
  presignDriveUpload,
  proxyDriveUpload,
  type CompleteBody,
  type UploadTarget,
} from "./uploads";
