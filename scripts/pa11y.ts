// `npm run pa11y`: pa11y-ci, as the portal runs it, over every page of a
// build (scripts/harness/pa11y.ts); its report and exit status (2 when a
// page has an error) are pa11y-ci's own.
//
//   npm run pa11y [-- --folder public]
import { parseArgs } from "node:util";
import { pa11yCi } from "./harness/pa11y.ts";

const { values } = parseArgs({ options: { folder: { type: "string", default: "public" } } });
try {
  process.exitCode = await pa11yCi(values.folder, (text) => process.stdout.write(text));
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
