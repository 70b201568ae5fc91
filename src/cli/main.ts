// Entry of the `millrace` CLI: dispatches a command and maps every failure to one line on stderr and exit 1 (2: gate closed, 3: review or promotion refused by the verdict; 4: drift found dataset drift, or monitor's policy fired).
import { userMessage } from '../lib/pipeline/errors.ts';
import { AppError } from '../lib/pipeline/errors.ts';
import { HELP, parseCommand } from './args.ts';
import { checkCommand } from './check-command.ts';
import { profileCommand } from './profile-command.ts';
import { REGISTRY_COMMANDS, type RegistryCommand } from './registry/args.ts';

const isRegistryCommand = (command: { name: string }): command is RegistryCommand => (REGISTRY_COMMANDS as readonly string[]).includes(command.name);

/** Runs a registry command; TF.js loads only for score. */
async function registryCommand(command: RegistryCommand): Promise<{ stdout: string; notices: string[] }> {
  switch (command.name) {
    case 'score':
      return (await import('./score-command.ts')).scoreCommand(command);
    case 'import':
      return (await import('./registry/bundle-commands.ts')).importCommand(command);
    case 'export':
      return (await import('./registry/bundle-commands.ts')).exportCommand(command);
    case 'models':
      return (await import('./registry/commands.ts')).modelsCommand(command);
    case 'promote':
      return (await import('./registry/commands.ts')).promoteCommand(command);
    case 'rollback':
      return (await import('./registry/commands.ts')).rollbackCommand(command);
    case 'history':
      return (await import('./registry/commands.ts')).historyCommand(command);
  }
}

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
    } else if (isRegistryCommand(command)) {
      const { stdout, notices } = await registryCommand(command);
      for (const notice of notices) process.stderr.write(`millrace: note: ${notice}\n`);
      process.stdout.write(`${stdout}\n`);
    } else if (command.name === 'drift') {
      const { driftCommand } = await import('./drift-command.ts');
      const { stdout, notices, drift } = await driftCommand(command);
      for (const notice of notices) process.stderr.write(`millrace: note: ${notice}\n`);
      process.stdout.write(`${stdout}\n`);
      return drift ? 4 : 0;
    } else if (command.name === 'monitor') {
      const { monitorCommand } = await import('./monitor-command.ts');
      const { stdout, notices, triggered } = await monitorCommand(command);
      for (const notice of notices) process.stderr.write(`millrace: note: ${notice}\n`);
      process.stdout.write(`${stdout}\n`);
      return triggered ? 4 : 0;
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
    if (!(error instanceof AppError) || error.code !== 'gate-blocked') return 1;
    // A promotion refused by the review verdict is a policy failure (3); a closed Check gate is 2.
    return argv[0] === 'promote' ? 3 : 2;
  }
}
