// Entry of the `millrace` CLI: dispatches a command and maps every failure to one line on stderr and exit 1 (2: gate closed).
import { userMessage } from '../lib/pipeline/errors.ts';
import { AppError } from '../lib/pipeline/errors.ts';
import { HELP, parseCommand } from './args.ts';
import { checkCommand } from './check-command.ts';
import { profileCommand } from './profile-command.ts';

/** Runs the CLI on argv (without node and the script) and returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.name === 'help') {
      process.stdout.write(HELP + '\n');
    } else if (command.name === 'check') {
      const { summary, open } = await checkCommand(command);
      process.stdout.write(`${summary}\n`);
      return open ? 0 : 2;
    } else if (command.name === 'review') {
      const { reviewCommand } = await import('./review-command.ts');
      const { verdict, summary } = await reviewCommand(command);
      process.stdout.write(`${summary}\n`);
      for (const failure of verdict.failures) process.stderr.write(`millrace: review: ${failure}\n`);
      return verdict.passed ? 0 : 3;
    } else if (command.name === 'profile') {
      await profileCommand(command.data, (text) => process.stdout.write(text));
    } else {
      // TF.js loads only for a run: help, profile, check and bad flags answer at once.
      const { runCommand } = await import('./run-command.ts');
      const report = await runCommand(command);
      process.stdout.write(`${report.summary}\n`);
    }
    return 0;
  } catch (error) {
    const message = userMessage(error).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`millrace: ${message}\n`);
    return error instanceof AppError && error.code === 'gate-blocked' ? 2 : 1;
  }
}
