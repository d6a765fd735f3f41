// Child process of bench/run.js: lints one generated template once with one configuration and
// prints the peak resident set size (and the heap after linting) as JSON.
//   node --expose-gc bench/memory-child.js <floor|recommended|jsoncPeer> <scale sets>
// Both configurations load the same modules and generate the same text before linting, so the
// difference in peak memory is what linting with the rules adds.
import { ESLint } from "eslint";
import { fileURLToPath } from "node:url";
import { configs } from "./configs.js";
import { generateTemplate } from "./generate.js";

const [name, count] = [process.argv[2], Number(process.argv[3])];
const config = configs[name];
if (!config || !Number.isInteger(count)) throw new Error("usage: memory-child.js <config> <scale sets>");

const root = fileURLToPath(new URL("..", import.meta.url));
const text = generateTemplate(count);
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config });
globalThis.gc?.();
const before = process.memoryUsage();
const [result] = await eslint.lintText(text, { filePath: `${root}bench-generated.json` });
const after = process.memoryUsage();

process.stdout.write(
  JSON.stringify({
    maxRss: process.resourceUsage().maxRSS * 1024,
    rssBefore: before.rss,
    heapAfter: after.heapUsed,
    problems: result.messages.length,
    fatal: result.fatalErrorCount,
  }),
);
