// Kept equal to package.json by tests/meta.test.ts (reading package.json at run time would cost an fs read per import).
export const PLUGIN_NAME = "eslint-plugin-arm-dsc";
export const PLUGIN_VERSION = "0.1.0";
