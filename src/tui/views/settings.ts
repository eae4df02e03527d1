import type { View, Preferences } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import { selectList, type SelectList } from '../widgets.js';
import { padColumns } from '../width.js';
import { availableLanguages, languageName, languageNameInBase, needsUnicode } from '../../locale/catalogue.js';

/** Language, colour theme, monochrome: changed in place, saved at once. */

export function settingsView(context: AppContext): View {
  const { shell } = context;
  let list: SelectList | undefined;

  const rows = (): { label: string; value: string; change(): Partial<Preferences> }[] => {
    const p = shell.preferences();
    return [
      { label: shell.t('settingLanguage'), value: languageName(p.language), change: () => ({ language: nextLanguage(p.language) }) },
      { label: shell.t('settingTheme'), value: shell.t(p.theme === 'dark' ? 'themeDark' : 'themeLight'), change: () => ({ theme: p.theme === 'dark' ? 'light' : 'dark' }) },
      { label: shell.t('settingMonochrome'), value: shell.t(p.monochrome ? 'on' : 'off'), change: () => ({ monochrome: !p.monochrome }) },
    ];
  };

  const draw = () => list?.setItems(rows().map((r) => ({ label: `${padColumns(r.label, 20)} ${r.value}` })));

  const change = () => {
    const row = rows()[list?.selected() ?? 0];
    if (!row) return;
    const next = row.change();
    // Hangul (any script beyond ASCII) cannot be drawn outside a UTF-8 locale: every label would turn into '??'
    if (next.language !== undefined && needsUnicode(next.language) && !shell.unicode) {
      shell.notify(shell.t('languageNeedsUtf8', { language: languageNameInBase(next.language) }), 'bad');
      return;
    }
    shell.setPreferences(next);
    shell.notify(shell.t('saved'), 'ok');
  };

  let selected = 0;
  const view: View = {
    title: () => shell.t('settingsTitle'),
    bindings(): Binding[] {
      return [
        { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: () => list?.move(-1) },
        { keys: ['down', 'j'], display: '↓/j', label: 'keyMove', run: () => list?.move(1) },
        { keys: ['enter', 'space', 'left', 'right', 'h', 'l'], display: '⏎/←→', ascii: 'Enter', label: 'keyChange', status: true, run: change },
      ];
    },
    mount(body) {
      list = selectList(body, shell.theme(), { top: 1, left: 2, width: 60, height: 5, items: [], border: true, label: shell.t('settingsTitle') });
      draw();
      list.select(selected);
    },
    unmount() {
      selected = list?.selected() ?? selected;
      list?.element.destroy();
      list = undefined;
    },
  };
  return view;
}

/** The language after this one in the list of catalogues, round to the first. */
function nextLanguage(current: string): string {
  const languages = availableLanguages();
  return languages[(languages.indexOf(current) + 1) % languages.length]!;
}
