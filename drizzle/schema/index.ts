export * from "./users";
export * from "./wallet";
export * from "./catalog";
export * from "./betting";
export * from "./operations";
