// Child process of bench/run.js: measures import times in a fresh process and prints them as JSON.
//   node bench/import-child.js arm-dsc   eslint, then the plugin (the plugin's own cost)
//   node bench/import-child.js jsonc     eslint, then eslint-plugin-jsonc (the peer)
//   node bench/import-child.js cold      the plugin alone (it loads eslint itself)
import { performance } from "node:perf_hooks";

const PLUGIN = new URL("../dist/index.js", import.meta.url).href;
const mode = process.argv[2];
const target = mode === "jsonc" ? "eslint-plugin-jsonc" : PLUGIN;

const start = performance.now();
if (mode !== "cold") await import("eslint");
const afterEslint = performance.now();
const loaded = await import(target);
const end = performance.now();
if (!loaded.default?.configs) throw new Error(`${target} did not load as an ESLint plugin`);

process.stdout.write(JSON.stringify({ eslint: afterEslint - start, plugin: end - afterEslint }));
