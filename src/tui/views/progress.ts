import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import { loadCharts, type Charts } from '../charts.cjs';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import type { ProgressSummary } from '../../progress/index.js';
import { escapeTags, paint } from '../theme.js';
import { barParts } from '../../terminal/bars.js';
import { LEITNER_INTERVAL_DAYS } from '../../quiz/review.js';
import { scrollText, type ScrollText } from '../widgets.js';
import { padColumns, truncate } from '../width.js';
import { columns } from '../../text-width.cjs';
import { translate } from '../../locale/catalogue.js';

/**
 * Progress: course completion (a gauge), scores over time (a line chart), mastery by topic (bars),
 * the review queue and the study streak. The charts are blessed-contrib's, loaded only here; on a
 * terminal without Unicode the same figures are drawn as text.
 */

export function progressView(context: AppContext): View {
  const { shell } = context;
  let widgets: Widgets.BlessedElement[] = [];
  let mastery: ScrollText | undefined;

  const bar = (percent: number | null, width: number) => {
    if (percent === null) return paint(shell.theme(), 'muted', shell.unicode ? '·'.repeat(width) : '.'.repeat(width));
    const [filled, empty] = barParts(percent / 100, width, shell.unicode);
    const role = percent >= 66 ? 'ok' : percent >= 40 ? 'warn' : 'bad';
    return `${paint(shell.theme(), role, filled)}${paint(shell.theme(), 'muted', empty)}`;
  };

  const draw = async (body: Widgets.BoxElement) => {
    const [{ summarize }, { topicName }, store] = await Promise.all([import('../../progress/index.js'), import('../../lessons/course.js'), context.progress()]);
    const summary = summarize(store.read(), { now: Date.now() });
    const theme = shell.theme();
    const width = body.width as number;
    const nameOf = (topic: string) => topicName(topic, shell.preferences().language);
    const contrib = shell.unicode ? loadCharts() : undefined;

    // top row: completion, streak, review queue
    const topHeight = 7;
    const half = Math.floor(width / 2);
    if (contrib) {
      // contrib's canvases set themselves up on 'attach': create, then append
      const gauge = contrib.gauge({ top: 0, left: 0, width: half, height: topHeight, label: ` ${shell.t('completionLabel')} ${summary.completion.done}/${summary.completion.total} `, stroke: theme.monochrome ? 'white' : 'green', fill: 'white', border: { type: 'line' }, style: { border: { fg: theme.border } } });
      body.append(gauge);
      gauge.setPercent(summary.completion.percent);
      widgets.push(gauge);
    } else {
      widgets.push(blessed.box({ parent: body, top: 0, left: 0, width: half, height: topHeight, tags: true, border: { type: 'line' }, label: ` ${shell.t('completionLabel')} `, content: `\n ${bar(summary.completion.percent, half - 12)} ${summary.completion.percent}%\n ${summary.completion.done}/${summary.completion.total}` }));
    }
    widgets.push(
      blessed.box({
        parent: body,
        top: 0,
        left: half,
        width: width - half,
        height: topHeight,
        tags: true,
        border: { type: 'line' },
        style: { border: { fg: theme.border } },
        content: [
          `${paint(theme, 'accent', shell.t('streakLabel'))}: ${escapeTags(shell.t(summary.streak.days === 1 ? 'streakDay' : 'streakDays', { days: summary.streak.days, longest: summary.streak.longest }))}`,
          `${paint(theme, 'accent', shell.t('reviewQueueLabel'))}: ${escapeTags(shell.t('dueNow', { count: summary.review.due.length }))}, ${escapeTags(shell.t('reviewTotal', { count: summary.review.cards }))}`,
          // the Leitner boxes, named by when their cards come back
          `  ${escapeTags(shell.t('reviewBoxesLabel'))}`,
          `  ${summary.review.boxes.map((count, box) => `${escapeTags(shell.t('reviewBoxDays', { days: LEITNER_INTERVAL_DAYS[box] ?? box + 1 }))}${count}`).join('  ')}`,
          // the next date matters only when nothing is due now (it would be a past date then)
          summary.review.nextDue && summary.review.due.length === 0 ? paint(theme, 'muted', `  ${escapeTags(shell.t('reviewNext', { date: summary.review.nextDue.slice(0, 10) }))}`) : '',
        ].join('\n'),
      }),
    );

    // middle: scores over time
    const chartTop = topHeight;
    const chartHeight = Math.max(6, Math.floor(((body.height as number) - topHeight) / 2));
    widgets.push(scores(body, summary, { top: chartTop, height: chartHeight, width, contrib }));

    // bottom: mastery by topic, one bar per topic
    const masteryTop = chartTop + chartHeight;
    const nameWidth = Math.min(30, Math.max(...summary.mastery.map((m) => columns(nameOf(m.topic)))));
    const barWidth = Math.max(10, width - nameWidth - 12);
    const rows = summary.mastery.map((m) => `${padColumns(truncate(nameOf(m.topic), nameWidth, shell.unicode), nameWidth)} ${bar(m.percent, barWidth)} ${m.percent === null ? '  -' : `${String(m.percent).padStart(3)}%`}`);
    mastery = scrollText(body, theme, { top: masteryTop, left: 0, width, height: (body.height as number) - masteryTop, border: true, label: shell.t('masteryLabel'), content: rows.join('\n') });
    widgets.push(mastery.element);
    shell.render();
  };

  const scores = (body: Widgets.BoxElement, summary: ProgressSummary, at: { top: number; height: number; width: number; contrib: Charts | undefined }): Widgets.BlessedElement => {
    const theme = shell.theme();
    const label = ` ${shell.t('scoresLabel')} `;
    if (summary.scores.length < 2 || !at.contrib) {
      const text = summary.scores.length === 0 ? shell.t('noScores') : summary.scores.slice(-8).map((s) => `${s.at.slice(0, 10)} ${padColumns(escapeTags(translate(shell.preferences().language, `progress.mode.${s.mode}`)), 8)} ${bar(s.percent, 20)} ${s.percent}%`).join('\n');
      return blessed.box({ parent: body, top: at.top, left: 0, width: at.width, height: at.height, tags: true, border: { type: 'line' }, label, style: { border: { fg: theme.border } }, content: summary.scores.length === 0 ? escapeTags(text) : text });
    }
    const points = summary.scores.slice(-30);
    const chart = at.contrib.line({
      top: at.top,
      left: 0,
      width: at.width,
      height: at.height,
      label,
      minY: 0,
      maxY: 100,
      showLegend: false,
      border: { type: 'line' },
      // the chart's canvas knows the eight basic colours and 'normal' (no colour code at all)
      style: { line: theme.monochrome ? 'normal' : 'cyan', text: theme.monochrome ? 'normal' : 'green', baseline: theme.monochrome ? 'normal' : 'white', border: { fg: theme.border } },
    });
    body.append(chart);
    chart.setData([{ title: 'score', x: points.map((_, i) => String(i + 1)), y: points.map((s) => s.percent) }]);
    return chart;
  };

  const view: View = {
    title: () => shell.t('progressTitle'),
    bindings(): Binding[] {
      return [
        { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyScroll', status: true, run: () => mastery?.scroll(-1) },
        { keys: ['down', 'j'], display: '↓/j', label: 'keyScroll', run: () => mastery?.scroll(1) },
      ];
    },
    mount(body) {
      return draw(body);
    },
    unmount() {
      for (const widget of widgets) widget.destroy();
      widgets = [];
      mastery = undefined;
    },
  };
  return view;
}

