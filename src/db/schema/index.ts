export * from "./accounts";
export * from "./plans";
