import { QTY_UNITS, type QtyUnit } from '../../../shared/order-shaping-fields.js';

/** What a qty counts in each unit (README "Shaping an order"), as the forms offer them. */
export const QTY_UNIT_LABELS: Readonly<Record<QtyUnit, string>> = {
  base: "the market's amount (coins; contracts on inverse)",
  quote: 'value in the quote currency (USDT; USD on inverse)',
  equity_percent: '% of equity',
  available_percent: '% of the free balance',
  risk_percent: '% of equity lost if the stop-loss is hit',
  position_percent: '% of the open position (Close only)',
};

/** The units in the order the forms list them. */
export const QTY_UNIT_CHOICES: readonly { value: QtyUnit; label: string }[] = QTY_UNITS.map((value) => ({ value, label: `${value}: ${QTY_UNIT_LABELS[value]}` }));
