import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Command, CommandGroup } from '../../cli/command.js';
import { COMMANDS } from '../../cli/commands/index.js';

/**
 * The `npx askp …` commands docs/deploy.md and docs/cli.md tell an operator to run exist, with
 * the options they pass: the tests that run them (test/e2e/deploy-from-scratch.test.ts,
 * test/integration/cli-admin.test.ts) then cover what the docs say.
 */
const read = (path: string): string =>
  readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** Every `npx askp …` in a fenced sh block, as its words (shell quoting ignored: none is used). */
const askpLines = (markdown: string): string[][] => {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks.flatMap((block) =>
    [...block.matchAll(/npx askp ([^)\n]*)/g)].map((match) => (match[1] ?? '').trim().split(/\s+/)),
  );
};

const find = (words: string[]): { node: Command | CommandGroup; rest: string[] } | undefined => {
  let node: Command | CommandGroup = COMMANDS;
  let index = 0;
  while (node.kind === 'group' && index < words.length && !words[index]?.startsWith('--')) {
    const word = words[index];
    const next: Command | CommandGroup | undefined = node.children.find(
      (child) => child.name === word,
    );
    if (!next) return undefined;
    node = next;
    index += 1;
  }
  return { node, rest: words.slice(index) };
};

describe('askp commands in the docs', () => {
  for (const doc of ['docs/deploy.md', 'docs/cli.md']) {
    const lines = askpLines(read(doc));

    it(`${doc} shows askp commands`, () => {
      expect(lines.length).toBeGreaterThan(0);
    });

    it.each(lines.map((words) => [words.join(' '), words] as const))(
      `${doc}: "npx askp %s" is a command with those options`,
      (_text, words) => {
        const found = find([...words]);
        expect(found, words.join(' ')).toBeDefined();
        if (found?.node.kind === 'group') {
          // A group only lists its commands.
          expect(found.rest).toEqual(['--help']);
          return;
        }
        for (const word of found?.rest ?? []) {
          if (!word.startsWith('--') || word === '--help') continue;
          expect(Object.keys(found?.node.options ?? {}), word).toContain(word.slice(2));
        }
      },
    );
  }
});
