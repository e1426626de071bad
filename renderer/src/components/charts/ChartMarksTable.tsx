import type { ChartMarks } from '../../state/order-chart-marks.js';
import { formatPrice } from '../../state/order-format.js';
import { Time } from '../Time.js';

/** An order's marks in words: what filled, when and at what price, and the prices it is held at. */
export function ChartMarksTable({ marks }: { marks: ChartMarks }) {
  if (marks.markers.length === 0 && marks.lines.length === 0) return <p className="muted small" data-testid="chart-marks-none">Nothing filled yet, and no stop, target or resting price to mark.</p>;
  return (
    <table className="chart-marks" data-testid="chart-marks">
      <tbody>
        {marks.markers.map((marker) => (
          <tr key={`leg-${marker.leg}`} data-mark={marker.kind}>
            <td>
              <span className={`side side-${marker.side}`}>{marker.kind === 'entry' ? 'Entry' : 'Exit'}</span>
            </td>
            <td className="num">{marker.label.replace(/^(Entry|Exit) /, '')}</td>
            <td>
              <Time iso={marker.at} />
            </td>
          </tr>
        ))}
        {marks.lines.map((line) => (
          <tr key={`${line.kind}-${line.price}`} data-mark={line.kind}>
            <td className={line.kind === 'stop_loss' ? 'text-bad' : line.kind === 'take_profit' ? 'text-good' : ''}>{line.kind === 'stop_loss' ? 'Stop-loss' : line.kind === 'take_profit' ? 'Take-profit' : 'Limit'}</td>
            <td className="num">{formatPrice(line.price)}</td>
            <td />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
