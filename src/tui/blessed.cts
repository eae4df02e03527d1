import type Blessed = require('blessed');

/**
 * The blessed widgets the app uses, loaded one by one: `require('blessed')` also loads every other
 * widget (images, terminals, charts' helpers), which costs start-up time the home screen does not need.
 * CommonJS with literal require() calls, so the start-up bundle (src/build/bundle.ts) can follow them.
 */
require('./blessed-tput.cjs');
require('./blessed-unicode.cjs');

const blessed = {
  screen: require('blessed/lib/widgets/screen') as typeof Blessed.screen,
  box: require('blessed/lib/widgets/box') as typeof Blessed.box,
  text: require('blessed/lib/widgets/text') as typeof Blessed.text,
  list: require('blessed/lib/widgets/list') as typeof Blessed.list,
  textbox: require('blessed/lib/widgets/textbox') as typeof Blessed.textbox,
  progressbar: require('blessed/lib/widgets/progressbar') as typeof Blessed.progressbar,
};

export = blessed;
