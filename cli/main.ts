import { runCli } from './run.js';

/** The `askp` process: run the command line, then exit with its code (docs/cli.md). */
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
});
process.exitCode = code;
