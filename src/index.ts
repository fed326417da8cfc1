// Process entry: run the command line with the real argv and environment.
import { runCli } from './cli.js';

await runCli(process.argv, process.env);
