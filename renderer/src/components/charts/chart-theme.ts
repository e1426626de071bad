import { ColorType, type ChartOptions, type DeepPartial, TickMarkType } from 'lightweight-charts';
import { chartTimeLabel, type TickKind, tickLabel } from '../../state/chart-time.js';

/** The charts' look, from the app's own colours (styles.css), and their times in the settings' zone. */

export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  border: string;
  background: string;
  good: string;
  bad: string;
  accent: string;
  warn: string;
}

/** The app's colours as the canvas needs them: read from the page's CSS variables, with the stylesheet's values if absent. */
export function chartColors(): ChartColors {
  const css = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#d9dfe7'),
    muted: read('--muted', '#8390a1'),
    grid: read('--border', '#27303b'),
    border: read('--border-strong', '#364150'),
    background: read('--bg-panel', '#171d25'),
    good: read('--good', '#2ebd85'),
    bad: read('--bad', '#f6465d'),
    accent: read('--accent', '#4c9aff'),
    warn: read('--warn', '#f0b90b'),
  };
}

const TICK_KINDS: Readonly<Record<TickMarkType, TickKind>> = {
  [TickMarkType.Year]: 'year',
  [TickMarkType.Month]: 'month',
  [TickMarkType.DayOfMonth]: 'day',
  [TickMarkType.Time]: 'time',
  [TickMarkType.TimeWithSeconds]: 'timeWithSeconds',
};

/** The crosshair's and the axis' time labels in `zone` (undefined: the computer's own). */
export function timeOptions(zone: string | undefined): DeepPartial<ChartOptions> {
  return {
    localization: { timeFormatter: (time: unknown) => (typeof time === 'number' ? chartTimeLabel(time, zone) : String(time)) },
    timeScale: { tickMarkFormatter: (time: unknown, kind: TickMarkType) => (typeof time === 'number' ? tickLabel(time, TICK_KINDS[kind], zone) : null) },
  };
}

/** Everything but the times: sized by its box (it follows the window), the app's dark colours. */
export function baseOptions(colors: ChartColors): DeepPartial<ChartOptions> {
  return {
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: colors.background }, textColor: colors.muted, fontSize: 11 },
    grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
    rightPriceScale: { borderColor: colors.border },
    // a chart of a few candles keeps them candle-sized rather than stretched across the box
    timeScale: { borderColor: colors.border, timeVisible: true, secondsVisible: false, maxBarSpacing: 24, rightOffset: 2 },
    crosshair: { vertLine: { labelBackgroundColor: colors.border }, horzLine: { labelBackgroundColor: colors.border } },
  };
}
