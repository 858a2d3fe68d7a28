/**
 * Formats a number with two decimals.
 * @param {number} value
 */
export function format(value) {
  return value.toFixed(2);
}

export const round = (value) => Math.round(value * 100) / 100;

export default function (text) {
  return `[${text}]`;
}
