import { EXIT } from '../core/exit-codes.js';
import { didYouMean, parseCommand, usageFail } from './args.js';
import { COMMANDS } from './commands.js';
import { holdEarlySignals } from './early-signals.js';

const [first = 'help', ...rest] = process.argv.slice(2);
if (first === '--version' || first === '-v') {
  const { version } = (await import('./version.js')).packageInfo();
  process.stdout.write(`${version}\n`);
  process.exit(EXIT.OK);
}
const command = first === '--help' || first === '-h' ? 'help' : first;
if (command === 'start') holdEarlySignals();
const spec = COMMANDS[command];
if (!spec) {
  const near = await didYouMean(command, Object.keys(COMMANDS));
  usageFail(`unknown command "${command}"${near ? `; did you mean "${near}"?` : `; expected one of ${Object.keys(COMMANDS).join(', ')}`}`);
}
const parsed = await parseCommand(command, rest);
spec.load()
  .then((mod) => mod.run(parsed))
  .catch((err: unknown) => usageFail(`${command}: ${(err as Error).message}`, 'this is a bug of service-lifecycle; please report it with the line above', EXIT.CRASH));
