import { createRequire } from 'node:module';
import type Blessed from 'blessed';

/**
 * The blessed widgets the app uses, loaded one by one: `require('blessed')` also loads every other
 * widget (images, terminals, charts' helpers), which costs start-up time the home screen does not need.
 */

const require = createRequire(import.meta.url);
const widget = <K extends keyof typeof Blessed>(file: string): (typeof Blessed)[K] => require(`blessed/lib/widgets/${file}`) as (typeof Blessed)[K];

const blessed = {
  screen: widget<'screen'>('screen'),
  box: widget<'box'>('box'),
  text: widget<'text'>('text'),
  list: widget<'list'>('list'),
  textbox: widget<'textbox'>('textbox'),
  progressbar: widget<'progressbar'>('progressbar'),
};

export default blessed;
export type { Blessed };
