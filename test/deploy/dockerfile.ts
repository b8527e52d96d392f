/** Just enough of the Dockerfile grammar to check invariants: instructions, their stage, exec-form arrays. */
export interface Instruction {
  keyword: string;
  args: string;
  /** Index of the FROM this instruction belongs to (-1 before the first FROM). */
  stage: number;
}

export function parseDockerfile(text: string): Instruction[] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  let stage = -1;
  return logical.map((line) => {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') stage++;
    return { keyword: keyword.toUpperCase(), args, stage };
  });
}

/** The JSON array of an exec-form instruction, or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Arguments of a container command that put a shell or npm between PID 1 and node. */
export const wrappers = (command: string[]) => command.filter((arg) => /(^|\/)(sh|bash|npm|npx)$/.test(arg) || arg === '-c');
