// A page of its own for the equity chart, which no page of the app uses yet: the component as the
// renderer builds it, fed a fixture curve (out of order, to be put in order) and an empty one.
import { createRoot } from 'react-dom/client';
import '../../../renderer/src/styles.css';
import { EquityChart } from '../../../renderer/src/components/charts/EquityChart.js';

const HOUR = 3_600;
const START = 1_772_445_600; // 2026-03-02 10:00 UTC
const curve = [
  { time: START + 2 * HOUR, value: -8.25 },
  { time: START, value: 0 },
  { time: START + 3 * HOUR, value: 30 },
  { time: START + HOUR, value: 12.5 },
];

createRoot(document.getElementById('root') as HTMLElement).render(
  <div style={{ padding: '20px', display: 'flex', flexDirection: 'column', gap: '12px' }}>
    <EquityChart points={curve} />
    <EquityChart points={[]} emptyText="No closed trades yet." testId="equity-chart" />
  </div>,
);
