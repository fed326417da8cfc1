// Process entry: run the command line with the real argv and environment.
import { runCli } from './cli/program.js';

await runCli(process.argv, process.env);
