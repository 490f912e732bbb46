export * from "./accounts";
export * from "./plans";
export * from "./billing";
export * from "./connect";
export * from "./gallery";
export * from "./storage";
export * from "./drive";
export * from "./galleries-v1";
