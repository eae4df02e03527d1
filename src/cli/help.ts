import type { Argument, Command, Help, Option } from 'commander';
import { BASE_LANGUAGE, catalogue, translate, type Language, type Params } from '../locale/catalogue.js';
import { columns } from '../text-width.cjs';

/**
 * The command line's help in the learner's language. The words live in the catalogue part `help`,
 * shaped like the command tree: `help.<command>.description`, `.options.<long-name>`,
 * `.arguments.<name>`, `.after` (text after the option list) and `.commands.<subcommand>…`, with
 * `help.kubetls` for the root. Commands register their names, flags and actions; this fills in every
 * word of their help, so there is one place for it per language. commander's own headings and error
 * lines are in `help.commander`.
 */
export function localizeHelp(program: Command, language: Language, values: Params = {}): void {
  describe(program, 'help.kubetls', language, values);
}

/** Headings in the language, and columns counted as the terminal draws them (Hangul takes two). */
function helpSettings(language: Language): Partial<Help> {
  return {
    styleTitle: (title: string) => heading(title, language),
    displayWidth: (text: string) => columns(text.replace(/\x1b\[[0-9;]*m/g, '')),
    optionDescription: (option: Option) => withExtras(option.description, option.argChoices, showsDefault(option) ? option.defaultValue : undefined, language),
    argumentDescription: (argument: Argument) => withExtras(argument.description, argument.argChoices, argument.defaultValue, language),
  };
}

/** commander shows a default only for options that take a value (or are boolean with a boolean default). */
function showsDefault(option: Option): boolean {
  return option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean');
}

/** A description with the choices and the default after it, as commander writes them, in the language. */
function withExtras(description: string, choices: readonly string[] | undefined, defaultValue: unknown, language: Language): string {
  const extras = [
    choices && translate(language, 'help.commander.choices', { values: choices.map((choice) => JSON.stringify(choice)).join(', ') }),
    defaultValue !== undefined && translate(language, 'help.commander.default', { value: JSON.stringify(defaultValue) }),
  ].filter((extra): extra is string => typeof extra === 'string');
  return extras.length === 0 ? description : `${description} (${extras.join(', ')})`.trimStart();
}

function describe(command: Command, key: string, language: Language, values: Params): void {
  const say = (suffix: string) => wordsFor(language, `${key}.${suffix}`, values);
  const description = say('description');
  if (description !== undefined) command.description(description);
  for (const option of command.options) {
    const words = say(`options.${optionName(option.long ?? option.short ?? '')}`);
    if (words !== undefined) option.description = words;
  }
  for (const argument of command.registeredArguments) {
    const words = say(`arguments.${argument.name()}`);
    if (words !== undefined) argument.description = words;
  }
  const after = say('after');
  if (after !== undefined) command.addHelpText('after', `\n${after}`);
  command.configureHelp(helpSettings(language));
  command.helpOption('-h, --help', translate(language, 'help.commander.help-option'));
  // commander adds its own `help [command]` to a command with subcommands; the root has its own instead
  const ownHelp = command.commands.find((sub) => sub.name() === 'help');
  if (ownHelp) ownHelp.description(translate(language, 'help.commander.help-command'));
  else if (command.commands.length > 0) command.helpCommand('help [command]', translate(language, 'help.commander.help-command'));
  for (const sub of command.commands) if (sub !== ownHelp) describe(sub, `${key}.commands.${sub.name()}`, language, values);
}

function optionName(flag: string): string {
  return flag.replace(/^--?/, '');
}

/** A string the catalogue has, or undefined (a command may have no `after` text). */
function wordsFor(language: Language, key: string, values: Params): string | undefined {
  return key in catalogue(language) || key in catalogue(BASE_LANGUAGE) ? translate(language, key, values) : undefined;
}

const HEADINGS: Record<string, string> = { 'Usage:': 'usage', 'Options:': 'options', 'Commands:': 'commands', 'Arguments:': 'arguments', 'Global Options:': 'global-options' };

function heading(title: string, language: Language): string {
  const key = HEADINGS[title];
  return key === undefined ? title : translate(language, `help.commander.${key}`);
}

/** commander's one-line errors, worded in the learner's language (the text after "error: "). */
const COMMANDER_ERRORS: [RegExp, string][] = [
  [/^unknown command '(?<word>[^']*)'/, 'unknown-command'],
  [/^unknown option '(?<word>[^']*)'/, 'unknown-option'],
  [/^required option '(?<word>[^']*)' not specified/, 'required-option'],
  [/^missing required argument '(?<word>[^']*)'/, 'missing-argument'],
  [/^option '(?<word>[^']*)' argument missing/, 'option-argument-missing'],
  [/^too many arguments/, 'too-many-arguments'],
];

export function commanderError(text: string, language: Language): string {
  const suggestion = /\(Did you mean (?<word>[^?]*)\?\)/.exec(text)?.groups?.['word'];
  for (const [pattern, key] of COMMANDER_ERRORS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const line = translate(language, `help.commander.errors.${key}`, { word: match.groups?.['word'] ?? '' });
    return suggestion === undefined ? line : `${line} ${translate(language, 'help.commander.errors.did-you-mean', { word: suggestion })}`;
  }
  return text;
}
