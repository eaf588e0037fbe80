/**
 * The master password for the CLI: SPARE_PASSWORD when set (even to an empty string: that is a deliberate
 * choice), else typed on the terminal without echo. With neither, the command cannot run.
 */
export class NoPasswordSource extends Error {}
export class PromptCancelled extends Error {}

export async function readPassword(prompt: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env['SPARE_PASSWORD'];
  if (fromEnv !== undefined) return fromEnv;
  return promptHidden(prompt);
}

export function passwordFromEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['SPARE_PASSWORD'] !== undefined;
}

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\u007f', '\b']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';

/** Reads one line from the terminal in raw mode so that nothing typed is echoed; the prompt goes to stderr. */
export function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    return Promise.reject(
      new NoPasswordSource('No password: set SPARE_PASSWORD or run the command in a terminal to type it.'),
    );
  }
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (ENTER.has(char)) return finish(() => resolve(typed));
        if (char === CTRL_C || (char === CTRL_D && typed === '')) {
          return finish(() => reject(new PromptCancelled('Cancelled.')));
        }
        if (BACKSPACE.has(char)) typed = Array.from(typed).slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    // No-echo mode first, prompt second: whatever is typed once the prompt shows is never echoed.
    input.setRawMode(true);
    process.stderr.write(prompt);
    input.resume();
    input.on('data', onData);
  });
}
