import { createChart, type IChartApi } from 'lightweight-charts';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { useTimeZone } from '../time-zone.js';
import { baseOptions, type ChartColors, chartColors, timeOptions } from './chart-theme.js';

export interface MadeChart<T> {
  chart: IChartApi;
  /** What `setup` added to it (its series). */
  parts: T;
}

/**
 * A chart in the box `container` points at, for as long as the component is shown: made once with
 * what `setup` adds (its series), sized by its box (so it follows the window), its times in the
 * settings' zone as that changes, and removed whole with the component. The series live and die
 * with the chart, so no cleanup of the caller's ever touches a chart already removed. Null until
 * the box is there.
 */
export function useChart<T>(container: RefObject<HTMLDivElement | null>, setup: (chart: IChartApi, colors: ChartColors) => T): MadeChart<T> | null {
  const [made, setMade] = useState<MadeChart<T> | null>(null);
  const zone = useTimeZone();
  const latestSetup = useRef(setup);
  latestSetup.current = setup;

  useEffect(() => {
    const box = container.current;
    if (!box) return;
    const colors = chartColors();
    const chart = createChart(box, baseOptions(colors));
    setMade({ chart, parts: latestSetup.current(chart, colors) });
    return () => {
      setMade(null);
      chart.remove();
    };
  }, [container]);

  useEffect(() => {
    made?.chart.applyOptions(timeOptions(zone));
  }, [made, zone]);

  return made;
}
