import { processIo } from './io';
import { run } from './run';

run(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
