import type { Unit } from './units';
import * as units from './units';
import fmt, { format as formatNumber, round } from './format.js';
import assert = require('node:assert');

export interface Shape {
  area(): number;
}

/**
 * The base of every shape.
 * Subclasses implement {@link area}.
 */
export abstract class BaseShape implements Shape {
  abstract area(): number;

  /** The area, formatted. */
  describe(unit: Unit = units.CM): string {
    return `${formatNumber(round(this.area()))} ${unit}`;
  }

  static compare(a: Shape, b: Shape): number {
    return a.area() - b.area();
  }
}

export class Circle extends BaseShape {
  #radius = 1;

  get radius(): number {
    return this.#radius;
  }

  set radius(value: number) {
    assert(value >= 0);
    this.#radius = value;
  }

  area(): number {
    return Math.PI * this.#radius ** 2;
  }

  /** Bound, so it can be passed around. */
  scaled = (factor: number): Circle => {
    const next = new Circle();
    next.radius = this.#radius * factor;
    return next;
  };
}

export type Named = { name: string };

export default class {
  label = fmt('shapes');
}
