import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, EXIT } from '../errors.js';
import { parseTemplate } from '../inject/template.js';
import { writeAtomically } from '../inject/write.js';
import { Resolver } from '../resolve/resolver.js';
import { reportError } from './common.js';

interface InjectOptions {
  inFile?: string;
  outFile?: string;
  fileMode: string;
  profile?: string;
}

const readTemplate = async (file: string | undefined): Promise<string> => {
  if (file && file !== '-') {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, EXIT.usage);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/** `coffer inject -i template -o out`: every placeholder resolves, or nothing is written. */
export const registerInject = (program: Command): void => {
  program
    .command('inject')
    .description('render {{ reference }} placeholders of a template; writes nothing unless every reference resolves')
    .option('-i, --in-file <file>', 'the template (default: stdin)')
    .option('-o, --out-file <file>', 'write here, atomically (default: stdout)')
    .option('--file-mode <octal>', 'mode of the output file', '0600')
    .option('--profile <name>', 'profile for coffer:// references [env COFFER_PROFILE]')
    .action(async (options: InjectOptions) => {
      try {
        if (!/^0?[0-7]{3}$/.test(options.fileMode)) {
          throw new CliError('--file-mode is an octal mode such as 0600', EXIT.usage);
        }
        const file = options.inFile ?? 'stdin';
        const parts = parseTemplate(await readTemplate(options.inFile), file);
        const resolver = new Resolver({ profile: options.profile });
        const rendered = await Promise.allSettled(
          parts.map(async (part) => {
            if (part.kind === 'text') {
              return part.text;
            }
            try {
              return await resolver.resolveText(part.reference);
            } catch (error) {
              if (error instanceof CliError) {
                throw new CliError(`${file}:${part.line}:${part.column}: ${error.message}`, error.exitCode);
              }
              throw error;
            }
          }),
        );
        const failures = rendered.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
        if (failures.length > 0) {
          failures.slice(0, -1).forEach((failure) => console.error(`coffer: ${failure instanceof Error ? failure.message : String(failure)}`));
          throw failures.at(-1);
        }
        const output = rendered.map((result) => (result.status === 'fulfilled' ? result.value : '')).join('');
        if (options.outFile && options.outFile !== '-') {
          await writeAtomically(options.outFile, output, Number.parseInt(options.fileMode, 8));
        } else {
          process.stdout.write(output);
        }
      } catch (error) {
        reportError(error);
      }
    });
};
