export * from "./accounts";
export * from "./plans";
export * from "./billing";
export * from "./gallery";
export * from "./storage";
