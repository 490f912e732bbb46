export * from "./accounts";
export * from "./plans";
export * from "./gallery";
export * from "./storage";
