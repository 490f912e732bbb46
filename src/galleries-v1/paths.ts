/** Folder paths inside a gallery: "" is the root, "a/b" a folder; names never contain "/". */

export const parentOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
export const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);
export const joinPath = (parent: string, name: string) => (parent ? `${parent}/${name}` : name);
/** True when `path` is `folder` itself or lies beneath it. */
export const isWithin = (path: string, folder: string) => folder === "" || path === folder || path.startsWith(`${folder}/`);
/** Depth of a path: 0 for the root. */
export const depthOf = (path: string) => (path ? path.split("/").length : 0);
