export * from "./model.js";
export * from "./dsc.js";
export * from "./names.js";
export { TemplateScope } from "./scope.js";
